// One source line of a metadata file and a cursor over its characters (Unicode scalars, as wptrunner
// counts them), with the lexical pieces every part of the grammar shares: escapes, quoted strings,
// unquoted values and line ends.

struct MetadataLine {
    /// 1-based.
    let number: Int
    /// The line exactly as in the source, with its line break.
    let raw: Substring
    /// The line without its line break and trailing whitespace.
    let chars: [Unicode.Scalar]
    /// The number of leading spaces.
    let indent: Int

    /// A blank line or a line holding only a comment.
    var isTrivia: Bool { indent == chars.count || chars[indent] == "#" }

    static func split(_ text: String) -> [(raw: Substring, content: Substring)] {
        var lines: [(Substring, Substring)] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let newline = utf8[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline.map { utf8.index(after: $0) } ?? utf8.endIndex
            lines.append((text[start..<end], text[start..<(newline ?? end)]))
            start = end
        }
        return lines
    }

    init(number: Int, raw: Substring, content: Substring) {
        self.number = number
        self.raw = raw
        var chars = Array(content.unicodeScalars)
        while let last = chars.last, last == " " || last == "\t" || last == "\r" || last == "\u{0B}" || last == "\u{0C}" {
            chars.removeLast()
        }
        self.chars = chars
        indent = chars.firstIndex { $0 != " " } ?? chars.count
    }
}

/// A position in one line, and the errors it reports there.
struct MetadataCursor {
    let line: MetadataLine
    let file: String
    var position: Int

    var atEnd: Bool { position >= line.chars.count }
    var current: Unicode.Scalar? { atEnd ? nil : line.chars[position] }

    func error(_ problem: MetadataSyntaxProblem, at column: Int? = nil) -> MetadataError {
        .syntax(file: file, line: line.number, column: (column ?? position) + 1, problem: problem)
    }

    func hasPrefix(_ prefix: String) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        return line.chars.count - position >= scalars.count
            && Array(line.chars[position..<(position + scalars.count)]) == scalars
    }

    mutating func skipSpaces() {
        while current == " " { position += 1 }
    }

    /// The comment from here (`#` to the end of the line), or nil at the end of the line; anything else
    /// is an error naming what it follows.
    mutating func lineEnd(after what: String) throws -> String? {
        skipSpaces()
        guard let current else { return nil }
        guard current == "#" else { throw error(.junkAfter(what)) }
        let comment = String(String.UnicodeScalarView(line.chars[position...]))
        position = line.chars.count
        return comment
    }

    /// The character a backslash escape stands for; the cursor is on the backslash.
    mutating func escape() throws -> Unicode.Scalar {
        let start = position
        position += 1
        guard let code = current else { throw error(.badEscape, at: start) }
        position += 1
        let digits: Int
        switch code {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 6
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        default: return code
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = current, digit.isASCII, let hex = Int(String(digit), radix: 16) else {
                throw error(.badEscape, at: start)
            }
            value = value * 16 + UInt32(hex)
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else { throw error(.badEscape, at: start) }
        return scalar
    }

    /// A quoted string; the cursor is on the opening quote.
    mutating func quoted() throws -> String {
        let start = position
        let quote = line.chars[position]
        position += 1
        var text = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw error(.unclosedQuote, at: start) }
            if c == quote { position += 1; return String(text) }
            if c == "\\" { text.append(try escape()) } else { text.append(c); position += 1 }
        }
    }

    /// Text up to (not including) the first unescaped scalar in `stops` or the end of the line, with
    /// escapes decoded and trailing spaces dropped.
    mutating func unquoted(until stops: Set<Unicode.Scalar>) throws -> String {
        var text = String.UnicodeScalarView()
        var spaces = 0
        while let c = current, !stops.contains(c) {
            if c == " " { spaces += 1; position += 1; continue }
            text.append(contentsOf: String(repeating: " ", count: spaces).unicodeScalars)
            spaces = 0
            if c == "\\" { text.append(try escape()) } else { text.append(c); position += 1 }
        }
        return String(text)
    }
}
