/// The logical lines of a moz.build file (Python syntax), as far as reading `with Files(...)`
/// blocks needs: comments dropped, lines joined inside brackets and after a trailing backslash,
/// strings (single, double and triple quoted) read with their escapes, and each token's position.
struct MozBuildLexer {
    enum Kind: Equatable {
        case name(String)
        case string(String)
        /// Any other character outside strings: brackets, `,`, `:`, `=`, `+`, digits, …
        case symbol(Character)
    }

    struct Token: Equatable {
        var kind: Kind
        var line: Int
        var column: Int
    }

    /// One logical line: its tokens, and the column its first token starts at (from 1).
    struct Line: Equatable {
        var tokens: [Token]
        var indent: Int { tokens[0].column - 1 }
    }

    private let lines: [[Unicode.Scalar]]
    private var row = 0
    private var col = 0

    static func lines(_ bytes: [UInt8]) throws(DownstreamError) -> [Line] {
        var lexer = MozBuildLexer(lines: try decode(bytes))
        return try lexer.logicalLines()
    }

    private init(lines: [[Unicode.Scalar]]) { self.lines = lines }

    /// The file's physical lines as scalars; a CR before LF is dropped.
    private static func decode(_ bytes: [UInt8]) throws(DownstreamError) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var line: [Unicode.Scalar] = []
            var iterator = raw.makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            decoding: while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): line.append(Unicode.UTF8.decode(encoded))
                case .emptyInput: break decoding
                case .error: throw .mozBuild(line: index + 1, column: line.count + 1, .notUTF8)
                }
            }
            if line.last == "\r" { line.removeLast() }
            result.append(line)
        }
        return result
    }

    private var current: Unicode.Scalar? {
        row < lines.count && col < lines[row].count ? lines[row][col] : nil
    }

    private func failure(_ problem: MozBuildProblem, line: Int? = nil, column: Int? = nil) -> DownstreamError {
        .mozBuild(line: line ?? row + 1, column: column ?? col + 1, problem)
    }

    private mutating func logicalLines() throws(DownstreamError) -> [Line] {
        var result: [Line] = []
        var tokens: [Token] = []
        var open: [Token] = []
        var continued = false
        while row < lines.count {
            guard let scalar = current else {
                row += 1; col = 0
                if open.isEmpty && !continued && !tokens.isEmpty { result.append(Line(tokens: tokens)); tokens = [] }
                continued = false
                continue
            }
            let start = (line: row + 1, column: col + 1)
            if scalar == "\\" && col == lines[row].count - 1 { continued = true; col += 1; continue }
            if scalar == " " || scalar == "\t" || scalar == "\u{0C}" { col += 1; continue }
            if scalar == "#" { col = lines[row].count; continue }
            let kind: Kind
            if scalar == "\"" || scalar == "'" {
                kind = .string(try string(quote: scalar))
            } else if scalar.properties.isAlphabetic || scalar == "_" {
                var name = String.UnicodeScalarView()
                while let next = current, next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next) {
                    name.append(next); col += 1
                }
                kind = .name(String(name))
            } else {
                col += 1
                kind = .symbol(Character(scalar))
            }
            let token = Token(kind: kind, line: start.line, column: start.column)
            if case .symbol(let symbol) = kind {
                if "([{".contains(symbol) { open.append(token) }
                let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
                if let opener = pairs[symbol] {
                    guard case .symbol(opener)? = open.last?.kind else {
                        throw failure(.unbalancedBracket(found: symbol), line: start.line, column: start.column)
                    }
                    open.removeLast()
                }
            }
            tokens.append(token)
        }
        if let unclosed = open.last, case .symbol(let bracket) = unclosed.kind {
            throw failure(.unclosedBracket(bracket), line: unclosed.line, column: unclosed.column)
        }
        if !tokens.isEmpty { result.append(Line(tokens: tokens)) }
        return result
    }

    /// Reads a string starting at the current quote; triple-quoted strings may span lines.
    private mutating func string(quote: Unicode.Scalar) throws(DownstreamError) -> String {
        let start = (line: row + 1, column: col + 1)
        let triple = col + 2 < lines[row].count && lines[row][col + 1] == quote && lines[row][col + 2] == quote
        col += triple ? 3 : 1
        var value = String.UnicodeScalarView()
        while true {
            guard let scalar = current else {
                guard triple, row + 1 < lines.count else { throw failure(.unterminatedString, line: start.line, column: start.column) }
                value.append("\n"); row += 1; col = 0
                continue
            }
            col += 1
            if scalar == "\\", let escaped = current {
                col += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else if scalar == quote {
                guard triple else { return String(value) }
                if col + 1 < lines[row].count, lines[row][col] == quote, lines[row][col + 1] == quote {
                    col += 2
                    return String(value)
                }
                value.append(scalar)
            } else {
                value.append(scalar)
            }
        }
    }
}
