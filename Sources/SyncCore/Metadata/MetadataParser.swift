// The wptmanifest grammar as wptrunner's `wptmanifest/parser.py` reads it: indentation opens a block
// (a section's entries, or a key's condition lines), `#` starts a comment, a list may continue on
// more deeply indented lines. Every entry keeps the exact text it came from.

/// Reads wptmanifest text into a `MetadataFile`.
public enum MetadataParser {
    /// Parses a file's bytes, which must be UTF-8 (anything else could not be written back unchanged).
    public static func parse(bytes: [UInt8], file: String) throws -> MetadataFile {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
                offset += encoded.count
            case .error:
                throw MetadataError.syntax(file: file, line: line, column: column, problem: .notUTF8(byte: bytes[offset]))
            case .emptyInput:
                return try parse(String(decoding: bytes, as: UTF8.self), file: file)
            }
        }
    }

    /// Parses `text`; `file` names the file in errors.
    public static func parse(_ text: String, file: String) throws -> MetadataFile {
        var lines: [MetadataLine] = []
        for (offset, piece) in MetadataLine.split(text).enumerated() {
            let line = MetadataLine(number: offset + 1, raw: piece.raw, content: piece.content)
            if line.indent < line.chars.count, line.chars[line.indent] == "\t" {
                throw MetadataCursor(line: line, file: file, position: line.indent).error(.tabInIndentation)
            }
            lines.append(line)
        }
        var parser = MetadataBlockParser(lines: lines, file: file)
        // At the top level only the end of the file ends the block, so what is left is blank or comments.
        let items = try parser.items(indent: 0, levels: [0])
        return MetadataFile(items: items, trailingTrivia: lines[parser.index...].map { String($0.raw) }.joined())
    }
}

/// Reads the lines of a file into entries, block by block.
struct MetadataBlockParser {
    let lines: [MetadataLine]
    let file: String
    var index = 0

    init(lines: [MetadataLine], file: String) {
        self.lines = lines
        self.file = file
    }

    /// The entries of a block whose lines start at `indent`; stops before the first line indented less
    /// (and before the blank and comment lines leading to it, which belong to what follows).
    mutating func items(indent: Int, levels: [Int]) throws -> [MetadataItem] {
        var items: [MetadataItem] = []
        while true {
            let triviaStart = index
            while index < lines.count, lines[index].isTrivia { index += 1 }
            guard index < lines.count, lines[index].indent >= indent else {
                index = triviaStart
                return items
            }
            let trivia = lines[triviaStart..<index].map { String($0.raw) }.joined()
            let line = lines[index]
            if line.indent > indent {
                throw cursor(line, line.indent).error(.unexpectedIndent(expected: levels))
            }
            if line.chars[indent] == "[" {
                var section = try section(line, levels: levels)
                section.leadingTrivia = trivia
                items.append(.section(section))
            } else {
                var key = try key(line, levels: levels)
                key.leadingTrivia = trivia
                items.append(.key(key))
            }
        }
    }

    mutating func section(_ line: MetadataLine, levels: [Int]) throws -> MetadataSection {
        var cursor = cursor(line, line.indent + 1)
        var name = String.UnicodeScalarView()
        while cursor.current != "]" {
            guard let c = cursor.current else { throw cursor.error(.unclosedHeading) }
            if c == "\\" { name.append(try cursor.escape()) } else { name.append(c); cursor.position += 1 }
        }
        cursor.position += 1
        let comment = try cursor.lineEnd(after: "']'")
        index += 1
        var next = index
        while next < lines.count, lines[next].isTrivia { next += 1 }
        var children: [MetadataItem] = []
        if next < lines.count, lines[next].indent > line.indent {
            children = try items(indent: lines[next].indent, levels: levels + [lines[next].indent])
        }
        var section = MetadataSection(name: String(name), comment: comment, items: children)
        section.original = .init(fields: section.fields, text: String(line.raw))
        return section
    }

    mutating func key(_ line: MetadataLine, levels: [Int]) throws -> MetadataKey {
        let first = index
        var cursor = cursor(line, line.indent)
        var name = String.UnicodeScalarView()
        while cursor.current != ":" {
            guard let c = cursor.current else { throw cursor.error(.missingColon) }
            if c == " " {
                cursor.skipSpaces()
                guard cursor.current == ":" else { throw cursor.error(.spaceInKey) }
                break
            }
            if c == "\\" { name.append(try cursor.escape()) } else { name.append(c); cursor.position += 1 }
        }
        cursor.position += 1
        cursor.skipSpaces()
        var key: MetadataKey
        if cursor.atEnd || cursor.current == "#" {
            let comment = try cursor.lineEnd(after: "':'")
            index += 1
            key = MetadataKey(name: String(name), branches: try branches(after: cursor, key: String(name), levels: levels), comment: comment)
        } else {
            let (value, comment) = try value(&cursor)
            key = MetadataKey(name: String(name), branches: [MetadataBranch(value: value, comment: comment)])
        }
        key.original = .init(fields: key.fields, text: lines[first..<index].map { String($0.raw) }.joined())
        return key
    }

    /// The condition lines under `key:`: `if <condition>: value` lines and a default value last.
    mutating func branches(after keyLine: MetadataCursor, key: String, levels: [Int]) throws -> [MetadataBranch] {
        var next = index
        while next < lines.count, lines[next].isTrivia { next += 1 }
        guard next < lines.count, lines[next].indent > keyLine.line.indent else {
            throw keyLine.error(.missingBlock(key: key), at: keyLine.line.chars.count)
        }
        let indent = lines[next].indent
        var branches: [MetadataBranch] = []
        while true {
            let triviaStart = index
            var comments: [String] = []
            while index < lines.count, lines[index].isTrivia {
                let line = lines[index]
                if line.indent < line.chars.count { comments.append(String(String.UnicodeScalarView(line.chars[line.indent...]))) }
                index += 1
            }
            guard index < lines.count, lines[index].indent >= indent else {
                index = triviaStart
                return branches
            }
            let line = lines[index]
            if line.indent > indent { throw cursor(line, line.indent).error(.unexpectedIndent(expected: levels + [indent])) }
            if let last = branches.last, last.condition == nil {
                throw cursor(line, line.indent).error(.defaultNotLast)
            }
            var cursor = cursor(line, indent)
            var condition: MetadataExpression?
            if cursor.hasPrefix("if ") {
                cursor.position += 3
                condition = try MetadataConditionParser.parse(&cursor)
                cursor.skipSpaces()
                if cursor.atEnd || cursor.current == "#" { throw cursor.error(.missingValue) }
            }
            let (value, comment) = try value(&cursor)
            branches.append(MetadataBranch(condition: condition, value: value, comments: comments, comment: comment))
        }
    }

    func cursor(_ line: MetadataLine, _ position: Int) -> MetadataCursor {
        MetadataCursor(line: line, file: file, position: position)
    }
}
