/// Why an autoland request cannot be taken. Each case says what was wrong and where.
public enum AutolandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--autoland=` in the `try:` line names no tree, or one that is no tree name.
    case malformedTrySyntax(token: String, reason: String)
    /// `try_task_config.json` holds an `autoland` value that is neither a boolean nor a tree name,
    /// or the file is not JSON although it mentions autoland.
    case malformedTryTaskConfig(reason: String)
    /// The try syntax and `try_task_config.json` (or two `--autoland` options) name different trees.
    case conflictingTrees([String])
    /// The tree asked for is not one autoland may land on.
    case unknownTree(String, allowed: [String])
    /// The groups file cannot be used: which line, and why.
    case groupsFile(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .malformedTrySyntax(token, reason):
            "try syntax: \(HookInputError.quote(token)) \(reason)"
        case .malformedTryTaskConfig(let reason):
            "\(TryTaskConfig.fileName): \(reason)"
        case .conflictingTrees(let trees):
            "the request names different trees: \(trees.joined(separator: ", "))"
        case let .unknownTree(tree, allowed):
            "\(HookInputError.quote(tree)) is not a tree autoland lands on (allowed: \(allowed.joined(separator: ", ")))"
        case let .groupsFile(file, line, reason):
            "groups file \(file) line \(line): \(reason)"
        }
    }
}
