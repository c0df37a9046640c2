/// Why expectation metadata or a wptreport.json could not be read.
public enum MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A metadata file that is not valid wptmanifest, at a 1-based line and column (in characters).
    case syntax(file: String, line: Int, column: Int, problem: MetadataSyntaxProblem)
    /// A wptreport.json that is not JSON of the expected shape.
    case invalidReport(file: String, reason: String)

    public var description: String {
        switch self {
        case let .syntax(file, line, column, problem):
            "\(file):\(line):\(column): \(problem)"
        case let .invalidReport(file, reason):
            "\(file): not a wptreport.json: \(reason)"
        }
    }
}

/// What was wrong at the place a `MetadataError.syntax` names, and what was expected there.
public enum MetadataSyntaxProblem: Sendable, Equatable, CustomStringConvertible {
    case notUTF8(byte: UInt8)
    case tabInIndentation
    /// The line is indented deeper than its place allows, or to a depth no enclosing entry has.
    case unexpectedIndent(expected: [Int])
    case unclosedHeading
    case unclosedList
    case unclosedQuote
    case missingColon
    case spaceInKey
    case junkAfter(String)
    case missingValue
    case missingBlock(key: String)
    case unquotedIf
    case commentInListItem
    case listItemStartsWithComma
    case unknownAtom(String)
    case badEscape
    case defaultNotLast
    case badCondition(String)

    public var description: String {
        switch self {
        case .notUTF8(let byte):
            "byte 0x\(String(byte, radix: 16, uppercase: true)) is not UTF-8; expected a UTF-8 text file"
        case .tabInIndentation:
            "a tab in the indentation; expected spaces (two per level)"
        case .unexpectedIndent(let expected):
            "unexpected indentation; expected the line to start at column "
                + expected.map { String($0 + 1) }.joined(separator: " or ")
        case .unclosedHeading:
            "unclosed '[': expected ']' before the end of the line"
        case .unclosedList:
            "unclosed '[': expected ',' or ']' (a list may continue on more deeply indented lines)"
        case .unclosedQuote:
            "unclosed quoted string: expected the closing quote before the end of the line"
        case .missingColon:
            "expected ':' after the key name"
        case .spaceInKey:
            "a space in a key name: expected ':' after the key name"
        case .junkAfter(let what):
            "expected the end of the line or a '#' comment after \(what)"
        case .missingValue:
            "expected a value after ':' on the same line"
        case .missingBlock(let key):
            "'\(key):' has no value: expected a value after ':' or indented condition lines below"
        case .unquotedIf:
            "a value starting with 'if ' must be quoted; conditions go on their own indented lines"
        case .commentInListItem:
            "'#' in an unquoted list item: expected ',' or ']', or quote the item"
        case .listItemStartsWithComma:
            "expected a list item before ','"
        case .unknownAtom(let name):
            "unknown atom '@\(name)': expected @True, @False or @Reset"
        case .badEscape:
            "invalid escape: expected a character after '\\', or hex digits after \\x, \\u or \\U"
        case .defaultNotLast:
            "a value without 'if' is the default and must be the last line of the conditions"
        case .badCondition(let expected):
            "bad condition: expected \(expected)"
        }
    }
}
