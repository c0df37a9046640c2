// Values after `key:` or `if <condition>:`: a list (possibly continued on more deeply indented
// lines), a quoted string, an atom or plain text, and the comment after it.

extension MetadataBlockParser {
    /// A value starting at the cursor (a list, a quoted string, an atom or plain text) and the comment
    /// after it; leaves `index` on the line after the value's last line.
    mutating func value(_ cursor: inout MetadataCursor) throws -> (MetadataValue, String?) {
        cursor.skipSpaces()
        let value: MetadataValue
        switch cursor.current {
        case "[":
            return try list(&cursor)
        case "\"", "'":
            value = .string(try cursor.quoted())
        case "@":
            cursor.position += 1
            value = .scalar(try atom(&cursor, until: ["#"]))
        default:
            let start = cursor.position
            let text = try cursor.unquoted(until: ["#"])
            if text.hasPrefix("if ") { throw cursor.error(.unquotedIf, at: start) }
            value = .string(text)
        }
        let comment = try cursor.lineEnd(after: "the value")
        index += 1
        return (value, comment)
    }

    mutating func atom(_ cursor: inout MetadataCursor, until stops: Set<Unicode.Scalar>) throws -> MetadataScalar {
        let start = cursor.position
        let name = try cursor.unquoted(until: stops)
        guard let atom = MetadataAtom(rawValue: name) else { throw cursor.error(.unknownAtom(name), at: start - 1) }
        return .atom(atom)
    }

    /// `[a, "b", @Reset]`, possibly over several lines, each indented more than the line it starts on.
    mutating func list(_ cursor: inout MetadataCursor) throws -> (MetadataValue, String?) {
        let owner = cursor.line.indent
        cursor.position += 1
        var items: [MetadataScalar] = []
        while true {
            cursor.skipSpaces()
            switch cursor.current {
            case nil, "#":
                index += 1
                while index < lines.count, lines[index].isTrivia { index += 1 }
                guard index < lines.count, lines[index].indent > owner else { throw cursor.error(.unclosedList, at: cursor.line.chars.count) }
                cursor = self.cursor(lines[index], lines[index].indent)
            case "]":
                cursor.position += 1
                let comment = try cursor.lineEnd(after: "']'")
                index += 1
                return (.list(items), comment)
            case ",":
                throw cursor.error(.listItemStartsWithComma)
            case "\"", "'":
                items.append(.string(try cursor.quoted()))
                cursor.skipSpaces()
                switch cursor.current {
                case "]": break
                case ",": cursor.position += 1
                default: throw cursor.error(.unclosedList)
                }
            default:
                let item: MetadataScalar
                if cursor.current == "@" {
                    cursor.position += 1
                    item = try atom(&cursor, until: [",", "]", "#"])
                } else {
                    item = .string(try cursor.unquoted(until: [",", "]", "#"]))
                }
                switch cursor.current {
                case ",": cursor.position += 1
                case "]": break
                case "#": throw cursor.error(.commentInListItem)
                default: throw cursor.error(.unclosedList)
                }
                if case .string(let text) = item, text.isEmpty { continue }
                items.append(item)
            }
        }
    }
}
