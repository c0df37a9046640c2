// Conditions of `if <condition>: value` lines: reading them (wptrunner's tokens and precedence) and
// writing them back in wptrunner's style (comparisons inside `and`/`or` in parentheses).

enum MetadataConditionParser {
    private enum Token: Equatable {
        case open, close, colon
        case name(String), string(String), number(String)
        case op(MetadataOperator)
    }

    /// Reads a condition and its closing `:`; the cursor is just after `if `.
    static func parse(_ cursor: inout MetadataCursor) throws -> MetadataExpression {
        var tokens: [(token: Token, column: Int)] = []
        repeat {
            tokens.append(try token(&cursor))
        } while tokens.last?.token != .colon
        var parser = Reader(tokens: tokens, cursor: cursor)
        let expression = try parser.expression(minimum: 1)
        guard parser.peek.token == .colon else {
            throw cursor.error(.badCondition("'and', 'or', '==', '!=' or ':'"), at: parser.peek.column)
        }
        return expression
    }

    private static func token(_ cursor: inout MetadataCursor) throws -> (Token, Int) {
        cursor.skipSpaces()
        let start = cursor.position
        guard let c = cursor.current else { throw cursor.error(.badCondition("':' after the condition")) }
        switch c {
        case "\"", "'": return (.string(try cursor.quoted()), start)
        case "#": throw cursor.error(.badCondition("':' after the condition, before any comment"))
        case ":": cursor.position += 1; return (.colon, start)
        case "(": cursor.position += 1; return (.open, start)
        case ")": cursor.position += 1; return (.close, start)
        case "[", "]": throw cursor.error(.badCondition("a name, string, number, 'not' or '(' (indexing with '[…]' is not supported)"))
        case "=", "!":
            while cursor.current == "=" || cursor.current == "!" { cursor.position += 1 }
            let text = String(String.UnicodeScalarView(cursor.line.chars[start..<cursor.position]))
            guard let op = MetadataOperator(rawValue: text), op == .equal || op == .notEqual else {
                throw cursor.error(.badCondition("'==' or '!='"), at: start)
            }
            return (.op(op), start)
        default:
            let stops: Set<Unicode.Scalar> = ["(", ")", "[", "]", "=", "!", " ", ":"]
            let isNumber = c.properties.numericType != nil && c.isASCII
            var seenDot = false
            while let d = cursor.current, !stops.contains(d) {
                if d == "." {
                    guard isNumber, !seenDot else { break }
                    seenDot = true
                } else if isNumber, !(d.isASCII && d.properties.numericType != nil) {
                    throw cursor.error(.badCondition("a digit in the number"))
                }
                cursor.position += 1
            }
            guard cursor.position > start else {
                throw cursor.error(.badCondition("a name, string, number, 'not' or '('"))
            }
            let text = String(String.UnicodeScalarView(cursor.line.chars[start..<cursor.position]))
            if isNumber { return (.number(text), start) }
            if text == "and" || text == "or" { return (.op(MetadataOperator(rawValue: text)!), start) }
            return (.name(text), start)
        }
    }

    private struct Reader {
        let tokens: [(token: Token, column: Int)]
        let cursor: MetadataCursor
        var position = 0

        var peek: (token: Token, column: Int) { tokens[position] }

        /// Operators binding at least as tightly as `minimum`; equal precedence groups to the right.
        mutating func expression(minimum: Int) throws -> MetadataExpression {
            var left = try operand()
            while case .op(let op) = peek.token, op.precedence >= minimum {
                position += 1
                left = .binary(op, left, try expression(minimum: op.precedence))
            }
            return left
        }

        mutating func operand() throws -> MetadataExpression {
            let (token, column) = peek
            position += 1
            switch token {
            case .open:
                let inner = try expression(minimum: 1)
                guard peek.token == .close else { throw cursor.error(.badCondition("')'"), at: peek.column) }
                position += 1
                return inner
            case .name("not"): return .not(try expression(minimum: MetadataOperator.notPrecedence + 1))
            case .name(let name): return .variable(name)
            case .string(let text): return .string(text)
            case .number(let text): return .number(text)
            case .close, .colon, .op:
                throw cursor.error(.badCondition("a name, string, number, 'not' or '('"), at: column)
            }
        }
    }
}

extension MetadataExpression {
    /// The condition as wptrunner writes it: `(os == "linux") and not debug`.
    public var text: String {
        switch self {
        case .variable(let name): return name
        case .string(let text): return "\"" + MetadataWriter.escape(text, extras: ["\""]) + "\""
        case .number(let text): return text
        case .not(let operand):
            if case .binary = operand { return "not (\(operand.text))" }
            return "not " + operand.text
        case let .binary(op, left, right):
            return "\(Self.child(left, of: op, isLeft: true)) \(op.rawValue) \(Self.child(right, of: op, isLeft: false))"
        }
    }

    private static func child(_ child: MetadataExpression, of op: MetadataOperator, isLeft: Bool) -> String {
        let bare = switch child {
        case .binary(let inner, _, _): inner.precedence == op.precedence && !isLeft
        case .not: op.precedence < MetadataOperator.notPrecedence
        default: true
        }
        return bare ? child.text : "(\(child.text))"
    }
}
