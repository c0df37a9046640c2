// Writing a MetadataFile back: an entry whose content is as parsed gives its source text again; a new
// or edited one is written in wptrunner's style (two spaces per level, `key: value`, a blank line
// after each section, none at the end of the file).

/// Renders `MetadataFile`s as wptmanifest text.
public enum MetadataWriter {
    /// The file's text: byte for byte the parsed source where nothing changed.
    public static func render(_ file: MetadataFile) -> String {
        var out = Output()
        items(file.items, indent: 0, into: &out)
        if !file.trailingTrivia.isEmpty { out.putSource(file.trailingTrivia) }
        return out.text
    }

    /// The text so far, and the blank lines wptrunner writes after each section, held back until
    /// something follows (so that a file does not end with them, and a parsed entry's own leading
    /// blank lines count towards them).
    private struct Output {
        var text = ""
        var pendingBlankLines = 0

        mutating func putSource(_ piece: String) {
            let blank = piece.utf8.prefix { $0 == UInt8(ascii: "\n") }.count
            put(String(repeating: "\n", count: max(0, pendingBlankLines - blank)) + piece)
        }

        mutating func putCanonical(_ piece: String) {
            put(String(repeating: "\n", count: pendingBlankLines) + piece)
        }

        /// Appends `piece`, first ending the previous line if it had no line break (a source's last line).
        private mutating func put(_ piece: String) {
            pendingBlankLines = 0
            guard !piece.isEmpty else { return }
            if let last = text.utf8.last, last != UInt8(ascii: "\n") { text += "\n" }
            text += piece
        }

        /// Whether the text ends with a blank line (compared by bytes: "\r\n" is one Character).
        var endsWithBlankLine: Bool { text.utf8.suffix(2).elementsEqual("\n\n".utf8) }
    }

    /// Writes a block's entries; new ones take the indentation of the block's parsed ones, or
    /// `indent` in a block with none.
    private static func items(_ items: [MetadataItem], indent: Int, into out: inout Output) {
        let indent = items.lazy.compactMap(\.sourceIndent).first ?? indent
        var afterSection = false
        for item in items {
            switch item {
            case .key(let key):
                out.putSource(key.leadingTrivia)
                if let original = key.original, original.fields == key.fields {
                    out.putSource(original.text)
                } else {
                    out.putCanonical(Self.key(key, indent: indent))
                }
                afterSection = false
            case .section(let section):
                if section.original == nil, section.leadingTrivia.isEmpty, afterSection, out.pendingBlankLines == 0, !out.endsWithBlankLine {
                    out.pendingBlankLines = 1
                }
                out.putSource(section.leadingTrivia)
                if let original = section.original, original.fields == section.fields {
                    out.putSource(original.text)
                } else {
                    let comment = section.comment.map { "  " + $0 } ?? ""
                    out.putCanonical(spaces(indent) + "[" + escape(section.name, extras: ["]"]) + "]" + comment + "\n")
                }
                Self.items(section.items, indent: indent + 2, into: &out)
                if section.original == nil { out.pendingBlankLines += 1 }
                afterSection = true
            }
        }
    }

    /// A key in wptrunner's style; a key without branches is not written.
    static func key(_ key: MetadataKey, indent: Int) -> String {
        let pad = spaces(indent)
        let name = escape(key.name, extras: [":"])
        var text = ""
        if key.branches.count == 1, let only = key.branches.first, only.condition == nil {
            for comment in only.comments + (key.comment.map { [$0] } ?? []) { text += pad + comment + "\n" }
            return text + pad + name + ": " + value(only.value) + (only.comment.map { "  " + $0 } ?? "") + "\n"
        }
        guard !key.branches.isEmpty else { return "" }
        text = pad + name + ":" + (key.comment.map { "  " + $0 } ?? "") + "\n"
        let inner = spaces(indent + 2)
        for branch in key.branches {
            for comment in branch.comments { text += inner + comment + "\n" }
            let condition = branch.condition.map { "if \($0.text): " } ?? ""
            text += inner + condition + value(branch.value) + (branch.comment.map { "  " + $0 } ?? "") + "\n"
        }
        return text
    }

    /// A value as wptrunner writes it: `FAIL`, `[PASS, FAIL]`, `@True`, quoted when it must be.
    public static func value(_ value: MetadataValue) -> String {
        switch value {
        case .scalar(let scalar): scalarText(scalar, inList: false)
        case .list(let items): "[" + items.map { scalarText($0, inList: true) }.joined(separator: ", ") + "]"
        }
    }

    private static func scalarText(_ scalar: MetadataScalar, inList: Bool) -> String {
        guard case .string(let text) = scalar else { return scalar.text }
        let starts: Set<Character> = inList ? [" ", "\"", "'", "@"] : [" ", "\"", "'", "@", "["]
        let quoted = text.isEmpty || text.contains("#") || text.hasPrefix("if ") || text.hasSuffix(" ")
            || starts.contains(text.first!) || (inList && (text.contains(",") || text.contains("]")))
        guard quoted else { return escape(text, extras: []) }
        let quote: Unicode.Scalar = text.contains("\"") ? "'" : "\""
        return String(quote) + escape(text, extras: [quote]) + String(quote)
    }

    /// wptrunner's escaping: backslash, control characters (`\n`, `\r`, `\t`, else `\xNN`), and `extras`.
    static func escape(_ text: String, extras: Set<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\x" + (hex.count < 2 ? "0" : "") + hex).unicodeScalars)
            case _ where extras.contains(scalar):
                out.append("\\")
                out.append(scalar)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func spaces(_ count: Int) -> String {
        String(repeating: " ", count: count)
    }
}

extension MetadataFile {
    /// The file's text (see `MetadataWriter.render`).
    public var text: String { MetadataWriter.render(self) }
}

extension MetadataItem {
    /// The indentation the item had in the source, if it was parsed.
    fileprivate var sourceIndent: Int? {
        let text = switch self {
        case .key(let key): key.original?.text
        case .section(let section): section.original?.text
        }
        return text.map { $0.utf8.prefix { $0 == UInt8(ascii: " ") }.count }
    }
}
