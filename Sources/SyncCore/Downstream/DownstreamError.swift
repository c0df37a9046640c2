/// Why a downstreaming rule refused its input. Each case says what was wrong and where.
public enum DownstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `testing/web-platform/moz.build` could not be read at this line and column (both from 1).
    case mozBuild(line: Int, column: Int, MozBuildProblem)
    /// `rebuild` of a try push must be between 2 and 20 (each selected task runs that many times).
    case rebuildOutOfRange(Int)

    public var description: String {
        switch self {
        case let .mozBuild(line, column, problem):
            "\(MozBuildComponents.path) line \(line), column \(column): \(problem)"
        case .rebuildOutOfRange(let count):
            "rebuild must be between \(TryTaskConfig.rebuildRange.lowerBound) and \(TryTaskConfig.rebuildRange.upperBound), not \(count)"
        }
    }
}

/// What in a moz.build file the `BUG_COMPONENT` reader could not take.
public enum MozBuildProblem: Sendable, Equatable, CustomStringConvertible {
    case notUTF8
    case unterminatedString
    /// A closing bracket that does not close the innermost open one (or closes none).
    case unbalancedBracket(found: Character)
    /// The file ends while this bracket is still open.
    case unclosedBracket(Character)
    /// A line indented although no block precedes it.
    case unexpectedIndent
    /// `with Files(...)` names something other than string literals.
    case patternNotString
    case noPattern
    case expected(String)
    /// A `with Files(...):` line followed by no indented line.
    case emptyBlock
    /// `BUG_COMPONENT` assigned something other than `("Product", "Component")`.
    case malformedBugComponent
    /// `BUG_COMPONENT` outside any `with Files(...)` block.
    case bugComponentOutsideFiles
    /// `with Files(...)` or `BUG_COMPONENT` under a condition or another block: which files it
    /// covers would depend on the build configuration.
    case nestedInBlock

    public var description: String {
        switch self {
        case .notUTF8: "not UTF-8"
        case .unterminatedString: "string not terminated"
        case .unbalancedBracket(let found): "'\(found)' closes no open bracket of its kind"
        case .unclosedBracket(let open): "'\(open)' is never closed"
        case .unexpectedIndent: "indented line outside a block"
        case .patternNotString: "Files(...) takes string patterns only"
        case .noPattern: "Files() without a pattern"
        case .expected(let what): "expected \(what)"
        case .emptyBlock: "block without an indented body"
        case .malformedBugComponent: "BUG_COMPONENT must be (\"Product\", \"Component\")"
        case .bugComponentOutsideFiles: "BUG_COMPONENT outside a with Files(...) block"
        case .nestedInBlock: "with Files(...) and BUG_COMPONENT under another block are not supported"
        }
    }
}
