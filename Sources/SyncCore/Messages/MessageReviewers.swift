// Review and approval annotations: `r=a,b`, `r?a`, `sr=a`, `rs=a`, `ui-r=a`,
// `a=b`, `f=a`, in any ASCII case.
//
// An annotation starts the line or follows whitespace or one of `( [ , ; .`.
// Names are ASCII letters, digits, `-`, `_`, `.`, optionally prefixed by `#`
// (a reviewer group, kept with its `#` so it stays distinct from a user of
// the same name) and optionally suffixed by `!` (Phabricator's blocking
// reviewer mark, dropped). Trailing dots are not part of a name (`r=bz.`),
// and a name needs a letter, so `r=0` in prose names nobody.
// Names are separated by `,`, `/`, `;` or `\`, optionally followed by
// whitespace (`r=alice, bob`), as in Mozilla's commit-message parser; a list
// never runs into the next annotation, so `r=alice,r=bob` names alice and bob.

struct ReviewAnnotation: Equatable {
    /// Lowercased kind: `r`, `sr`, `rs`, `ui-r`, `a` or `f`.
    var kind: String
    var names: [String]
    /// Byte range of the whole annotation within its line.
    var range: Range<Int>

    /// Whether this annotation names reviewers (not approvers or feedback givers).
    var isReview: Bool { kind != "a" && kind != "f" }

    private static let kinds = ["ui-r", "sr", "rs", "r", "a", "f"]

    /// All annotations on `line`, left to right.
    static func all(in line: MessageLine) -> [ReviewAnnotation] {
        var result: [ReviewAnnotation] = []
        var i = 0
        while i < line.count {
            if let annotation = annotation(in: line, at: i) {
                result.append(annotation)
                i = annotation.range.upperBound
            } else {
                i += 1
            }
        }
        return result
    }

    private static func annotation(in line: MessageLine, at i: Int) -> ReviewAnnotation? {
        if let before = line[i - 1], !MessageByte.isSpace(before), !"([,;.".utf8.contains(before) {
            return nil
        }
        guard let kind = kinds.first(where: { line.matches($0, at: i) }) else { return nil }
        let marker = i + kind.utf8.count
        guard line[marker] == UInt8(ascii: "=") || line[marker] == UInt8(ascii: "?") else { return nil }
        var names: [String] = []
        var end = marker + 1
        var j = marker + 1
        while let (name, nameEnd) = self.name(in: line, at: j) {
            names.append(name)
            end = nameEnd
            guard let separator = line[nameEnd], ",/;\\".utf8.contains(separator) else { break }
            j = line.skipSpaces(from: nameEnd + 1)
            if startsAnnotation(line, at: j) { break }
        }
        return names.isEmpty ? nil : ReviewAnnotation(kind: kind, names: names, range: i..<end)
    }

    /// Whether a word of letters, digits, `.` and `-` followed by `=` or `?` starts at `i` (`r=`, `sr?`).
    private static func startsAnnotation(_ line: MessageLine, at i: Int) -> Bool {
        let end = line.run(from: i) { MessageByte.isLetter($0) || MessageByte.isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        return end > i && (line[end] == UInt8(ascii: "=") || line[end] == UInt8(ascii: "?"))
    }

    private static func name(in line: MessageLine, at i: Int) -> (String, Int)? {
        let start = i
        var j = line[i] == UInt8(ascii: "#") ? i + 1 : i
        j = line.run(from: j) { MessageByte.isWord($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        while j > start, line[j - 1] == UInt8(ascii: ".") { j -= 1 }
        let name = line.text(start..<j)
        guard name.utf8.contains(where: MessageByte.isLetter) else { return nil }
        if line[j] == UInt8(ascii: "!") { j += 1 }
        return (name, j)
    }
}

extension CommitMessage {
    /// The first line without a leading bug prefix (`Bug N - `, `Bug N: `,
    /// `bug N `) and without the review and approval annotations that end it
    /// (`r=…`, `r?…`, `sr=…`, `rs=…`, `ui-r=…`, `a=…`, `f=…`), trimmed; the
    /// form used for upstream commit messages. Text between annotations is
    /// kept, and so is a full stop before them:
    /// `Bug 1 - Fix it. r=a a=b` becomes `Fix it.`.
    public static func exportSummary(_ firstLine: String) -> String {
        let line = MessageLine(firstLine)
        let range = line.trimmedRange()
        var start = range.lowerBound
        if let prefixEnd = bugPrefixEnd(line, at: start) { start = prefixEnd }
        var end = range.upperBound
        let annotations = ReviewAnnotation.all(in: line).filter { $0.range.lowerBound >= start }
        for annotation in annotations.reversed() {
            var candidate = end
            while candidate > start, let b = line[candidate - 1],
                  MessageByte.isSpace(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: ")") {
                candidate -= 1
            }
            guard annotation.range.upperBound == candidate else { break }
            end = annotation.range.lowerBound
            while end > start, let b = line[end - 1], MessageByte.isSpace(b) || ",;(".utf8.contains(b) {
                end -= 1
            }
        }
        return line.text(start..<max(start, end))
    }

    /// The end of `Bug N - `, `Bug N: ` or `bug N ` at `i`, if present.
    private static func bugPrefixEnd(_ line: MessageLine, at i: Int) -> Int? {
        guard line.matches("bug", at: i) else { return nil }
        var j = line.skipSpaces(from: i + 3)
        guard j > i + 3 else { return nil }
        let digitsEnd = line.run(from: j, while: MessageByte.isDigit)
        guard digitsEnd > j else { return nil }
        j = line.skipSpaces(from: digitsEnd)
        if line[j] == UInt8(ascii: "-") || line[j] == UInt8(ascii: ":") {
            let after = line.skipSpaces(from: j + 1)
            return after > j + 1 || after == line.count ? after : nil
        }
        return j > digitsEnd ? j : nil
    }
}
