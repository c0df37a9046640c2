import SyncCore

extension UpstreamExporter {
    /// The upstream commit message for a changeset: the first line without the leading `Bug N - `
    /// and the review annotations (`CommitMessage.exportSummary`), the rest of the description
    /// byte for byte, a blank line, then `bugzilla-url: <url><bug>` (when there is a bug),
    /// `gecko-commit: <node>`, `gecko-commit-hg: <hgNode>` (when a git commit's hg changeset is
    /// known) and `gecko-reviewers: a, b` (when there are reviewers).
    public static func message(for description: [UInt8], node: String, hgNode: String? = nil, bugzillaURL: String) -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        let firstEnd = description.firstIndex(of: newline) ?? description.endIndex
        var first = description[..<firstEnd]
        if first.last == UInt8(ascii: "\r") { first = first.dropLast() }
        var summary = exportSummary(first)
        if summary.isEmpty { summary = Array(trimmed(first)) }

        var body = description[firstEnd...]
        while let last = body.last, isWhitespace(last) { body = body.dropLast() }
        let parsed = CommitMessage.parse(bytes: description)
        var metadata: [String] = []
        if let bug = parsed.bugs.first { metadata.append("bugzilla-url: \(bugzillaURL)\(bug)") }
        metadata.append("gecko-commit: \(node)")
        if let hgNode { metadata.append("gecko-commit-hg: \(hgNode)") }
        if !parsed.reviewers.isEmpty { metadata.append("gecko-reviewers: " + parsed.reviewers.joined(separator: ", ")) }
        return summary + body + Array("\n\n".utf8) + Array((metadata.joined(separator: "\n") + "\n").utf8)
    }

    /// The author and committer of the commit: the hg author split into name and email, at the
    /// hg date with its offset (hg counts seconds west of UTC, git minutes east).
    public static func signature(author: [UInt8], date: HgDate) -> GitSignature {
        let text = String(decoding: author, as: UTF8.self)
        var name = text, email = ""
        if let open = text.lastIndex(of: "<") {
            name = String(text[..<open])
            let rest = text[text.index(after: open)...]
            email = String(rest[..<(rest.firstIndex(of: ">") ?? rest.endIndex)])
        }
        func clean(_ s: String) -> String {
            s.filter { !"<>\n\r\0".contains($0) }.trimmingASCIISpaces()
        }
        name = clean(name)
        email = clean(email)
        if name.isEmpty { name = email.isEmpty ? "unknown" : email }
        if email.isEmpty { email = "unknown" }
        return GitSignature(name: name, email: email, time: date.seconds, offsetMinutes: -date.offset / 60)
    }

    /// `exportSummary` on raw bytes: each non-ASCII byte travels as one private-use scalar, which
    /// the parser (ASCII-only) treats like the byte itself, and comes back unchanged.
    private static func exportSummary(_ line: ArraySlice<UInt8>) -> [UInt8] {
        var scalars = String.UnicodeScalarView()
        for byte in line { scalars.append(Unicode.Scalar(byte < 0x80 ? UInt32(byte) : 0xE000 + UInt32(byte))!) }
        let summary = CommitMessage.exportSummary(String(scalars))
        return summary.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value < 0x80 ? $0.value : $0.value - 0xE000) }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isWhitespace(last) { slice = slice.dropLast() }
        return slice
    }
}

private extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
