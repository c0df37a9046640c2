/// A Bugzilla product and component, e.g. Core :: Layout: Grid.
public struct BugComponent: Sendable, Hashable, Codable, CustomStringConvertible {
    public var product: String
    public var component: String

    public init(product: String, component: String) { self.product = product; self.component = component }

    /// Where a downstream bug goes when no moz.build rule owns its files.
    public static let webPlatformTests = BugComponent(product: "Testing", component: "web-platform-tests")

    /// Gecko marks files nobody owns yet with `UNKNOWN`.
    public var isUnknown: Bool { product == "UNKNOWN" || component == "UNKNOWN" }

    public var description: String { "\(product) :: \(component)" }
}

/// The `BUG_COMPONENT` rules of Gecko's `testing/web-platform/moz.build`: which product and
/// component own a file, as mozbuild reads `with Files("pattern", …):` blocks.
public struct MozBuildComponents: Sendable, Equatable {
    /// One `with Files(...)` block that sets `BUG_COMPONENT`.
    public struct Rule: Sendable, Equatable {
        /// Patterns relative to the moz.build file's folder (mozpack rules, `MozPathPattern`).
        public var patterns: [String]
        public var component: BugComponent
        /// The line of its `with Files(...)`.
        public var line: Int
    }

    /// The file in the Gecko repository.
    public static let path = "testing/web-platform/moz.build"

    /// In file order.
    public var rules: [Rule]

    /// Reads the blocks of a moz.build file. Other statements, and other assignments inside the
    /// blocks (`SCHEDULES…`), are skipped; what cannot be read is an error naming its line and column.
    public static func parse(_ bytes: [UInt8]) throws(DownstreamError) -> MozBuildComponents {
        let lines = try MozBuildLexer.lines(bytes)
        var rules: [Rule] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let first = line.tokens[0]
            guard line.indent == 0 else { throw .mozBuild(line: first.line, column: first.column, .unexpectedIndent) }
            var end = index + 1
            while end < lines.count, lines[end].indent > 0 { end += 1 }
            let body = lines[(index + 1)..<end]
            if let patterns = try filesPatterns(line) {
                guard let firstBody = body.first else {
                    let last = line.tokens[line.tokens.count - 1]
                    throw .mozBuild(line: last.line, column: last.column + 1, .emptyBlock)
                }
                var component: BugComponent?
                for statement in body {
                    let head = statement.tokens[0]
                    let nested = statement.indent != firstBody.indent
                    if head.kind == .name("BUG_COMPONENT") {
                        if nested { throw .mozBuild(line: head.line, column: head.column, .nestedInBlock) }
                        component = try bugComponent(statement)
                    } else if try filesPatterns(statement) != nil {
                        throw .mozBuild(line: head.line, column: head.column, .nestedInBlock)
                    }
                }
                if let component { rules.append(Rule(patterns: patterns, component: component, line: first.line)) }
            } else {
                if first.kind == .name("BUG_COMPONENT") { throw .mozBuild(line: first.line, column: first.column, .bugComponentOutsideFiles) }
                if let indented = body.first?.tokens.first, line.tokens.last?.kind != .symbol(":") {
                    throw .mozBuild(line: indented.line, column: indented.column, .unexpectedIndent)
                }
                for statement in body {
                    let head = statement.tokens[0]
                    let isFiles = try filesPatterns(statement) != nil
                    if head.kind == .name("BUG_COMPONENT") || isFiles {
                        throw .mozBuild(line: head.line, column: head.column, .nestedInBlock)
                    }
                }
            }
            index = end
        }
        return MozBuildComponents(rules: rules)
    }

    /// The owner of `path` (relative to the moz.build folder): the last block matching it.
    public func component(of path: String) -> BugComponent? {
        rules.last { rule in rule.patterns.contains { MozPathPattern.matches(path, pattern: $0) } }?.component
    }

    /// The component owning most of `paths` (relative to the moz.build folder). `UNKNOWN` loses to
    /// any other; a tie goes to a component other than Testing :: web-platform-tests, then to the
    /// first by product and component; no owned file at all gives Testing :: web-platform-tests.
    public func choose(for paths: [String]) -> BugComponent {
        var counts: [BugComponent: Int] = [:]
        for path in Set(paths) { if let owner = component(of: path) { counts[owner, default: 0] += 1 } }
        let known = counts.filter { !$0.key.isUnknown }
        let candidates = known.isEmpty ? counts : known
        let best = candidates.max { a, b in
            if a.value != b.value { return a.value < b.value }
            let aDefault = a.key == .webPlatformTests, bDefault = b.key == .webPlatformTests
            if aDefault != bDefault { return aDefault }
            return (a.key.product, a.key.component) > (b.key.product, b.key.component)
        }
        return best?.key ?? .webPlatformTests
    }

    /// `choose(for:)` over paths relative to the wpt root (a PR's changed files), `wpt` being the
    /// configured wpt checkout; Testing :: web-platform-tests when it is not beneath the moz.build folder.
    public func choose(wptPaths: [String], wpt: String = PathPrefixes().wpt) -> BugComponent {
        guard let relative = Self.relativeWPT(wpt) else { return .webPlatformTests }
        return choose(for: wptPaths.map { relative + "/" + $0 })
    }

    /// `wpt` (the configured wpt checkout, e.g. `testing/web-platform/tests`) relative to the
    /// moz.build folder (`tests`), or nil when it does not lie beneath it.
    public static func relativeWPT(_ wpt: String) -> String? {
        let folder = "testing/web-platform/"
        guard wpt.hasPrefix(folder), wpt.count > folder.count else { return nil }
        var relative = String(wpt.dropFirst(folder.count))
        while relative.hasSuffix("/") { relative.removeLast() }
        return relative
    }

    /// The patterns of a `with Files(...):` line; nil for any other statement.
    private static func filesPatterns(_ line: MozBuildLexer.Line) throws(DownstreamError) -> [String]? {
        let tokens = line.tokens
        guard tokens.count >= 2, tokens[0].kind == .name("with"), tokens[1].kind == .name("Files") else { return nil }
        var reader = TokenReader(tokens: tokens, position: 2)
        try reader.expect(.symbol("("), "'(' after Files")
        var patterns: [String] = []
        while let token = reader.peek, token.kind != .symbol(")") {
            guard case .string(let pattern) = token.kind else { throw .mozBuild(line: token.line, column: token.column, .patternNotString) }
            patterns.append(pattern)
            reader.position += 1
            if reader.peek?.kind == .symbol(",") { reader.position += 1 } else { break }
        }
        try reader.expect(.symbol(")"), "')'")
        try reader.expect(.symbol(":"), "':' ending the with line")
        try reader.expectEnd()
        guard !patterns.isEmpty else { throw .mozBuild(line: tokens[1].line, column: tokens[1].column, .noPattern) }
        return patterns
    }

    /// `BUG_COMPONENT = ("Product", "Component")`, a trailing comma allowed.
    private static func bugComponent(_ line: MozBuildLexer.Line) throws(DownstreamError) -> BugComponent {
        var reader = TokenReader(tokens: line.tokens, position: 1)
        try reader.expect(.symbol("="), "'=' after BUG_COMPONENT")
        let start = reader.peek ?? line.tokens[line.tokens.count - 1]
        let malformed = DownstreamError.mozBuild(line: start.line, column: start.column, .malformedBugComponent)
        var parts: [String] = []
        let shape: [MozBuildLexer.Kind?] = [.symbol("("), nil, .symbol(","), nil]
        for kind in shape {
            guard let token = reader.peek else { throw malformed }
            if let kind {
                guard token.kind == kind else { throw malformed }
            } else {
                guard case .string(let part) = token.kind else { throw malformed }
                parts.append(part)
            }
            reader.position += 1
        }
        if reader.peek?.kind == .symbol(",") { reader.position += 1 }
        guard reader.peek?.kind == .symbol(")") else { throw malformed }
        reader.position += 1
        try reader.expectEnd()
        return BugComponent(product: parts[0], component: parts[1])
    }
}

private struct TokenReader {
    let tokens: [MozBuildLexer.Token]
    var position: Int

    var peek: MozBuildLexer.Token? { position < tokens.count ? tokens[position] : nil }

    mutating func expect(_ kind: MozBuildLexer.Kind, _ what: String) throws(DownstreamError) {
        guard let token = peek, token.kind == kind else { throw failure(what) }
        position += 1
    }

    func expectEnd() throws(DownstreamError) {
        if peek != nil { throw failure("the end of the line") }
    }

    private func failure(_ what: String) -> DownstreamError {
        if let token = peek { return .mozBuild(line: token.line, column: token.column, .expected(what)) }
        let last = tokens[tokens.count - 1]
        return .mozBuild(line: last.line, column: last.column + 1, .expected(what))
    }
}
