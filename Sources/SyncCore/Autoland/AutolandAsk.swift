import Foundation

/// What a try push asks of autoland: to land on the default integration tree, or on a named one.
public struct AutolandAsk: Sendable, Equatable, Codable {
    /// The tree named with `--autoland=<tree>` or in `try_task_config.json`; nil for the default tree.
    public var tree: String?

    public init(tree: String? = nil) { self.tree = tree }

    /// The token of the try syntax that asks for autoland, alone or as `--autoland=<tree>`.
    public static let option = "--autoland"

    /// Reads the request of a try push from its tip: the message's `try:` line (`--autoland`,
    /// `--autoland=<tree>`) and, when the tip carries one, `try_task_config.json`, whose
    /// `parameters.try_task_config.autoland` is `true` (default tree), `false` or a tree name.
    /// Nil when neither asks. The try syntax is the words after a word `try:` on the same line;
    /// other options are ignored, as the decision task ignores what it does not know.
    public static func parse(message: String, tryTaskConfig: [UInt8]? = nil) throws(AutolandError) -> AutolandAsk? {
        var asks = try fromTrySyntax(message)
        if let tryTaskConfig, let ask = try fromTryTaskConfig(tryTaskConfig) { asks.append(ask) }
        guard let first = asks.first else { return nil }
        let named = Set(asks.compactMap(\.tree))
        guard named.count <= 1 else { throw .conflictingTrees(named.sorted()) }
        return named.first.map { AutolandAsk(tree: $0) } ?? first
    }

    /// The words after a word `try:` on the first line holding one, or nil when no line does.
    public static func trySyntaxWords(_ message: String) -> [Substring]? {
        for line in message.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: \.isWhitespace)
            if let index = words.firstIndex(of: "try:") { return Array(words[(index + 1)...]) }
        }
        return nil
    }

    static func fromTrySyntax(_ message: String) throws(AutolandError) -> [AutolandAsk] {
        guard let words = trySyntaxWords(message) else { return [] }
        var asks: [AutolandAsk] = []
        for word in words where word == option || word.hasPrefix(option + "=") {
            guard word != option else { asks.append(AutolandAsk()); continue }
            let tree = String(word.dropFirst(option.count + 1))
            guard !tree.isEmpty else { throw .malformedTrySyntax(token: String(word), reason: "names no tree") }
            guard isTreeName(tree) else {
                throw .malformedTrySyntax(token: String(word), reason: "is not a tree name (letters, digits, - and _)")
            }
            asks.append(AutolandAsk(tree: tree))
        }
        return asks
    }

    static func fromTryTaskConfig(_ bytes: [UInt8]) throws(AutolandError) -> AutolandAsk? {
        guard let file = try? JSONDecoder().decode(TaskConfigFile.self, from: Data(bytes)) else {
            if String(decoding: bytes, as: UTF8.self).contains("autoland") {
                throw .malformedTryTaskConfig(reason: "is not the JSON object of a try task configuration, so its autoland request cannot be read")
            }
            return nil
        }
        switch file.parameters?.tryTaskConfig?.autoland {
        case nil, .flag(false): return nil
        case .flag(true): return AutolandAsk()
        case .tree(let tree):
            guard isTreeName(tree) else {
                throw .malformedTryTaskConfig(reason: "parameters.try_task_config.autoland \(HookInputError.quote(tree)) is not a tree name")
            }
            return AutolandAsk(tree: tree)
        case .other:
            throw .malformedTryTaskConfig(reason: "parameters.try_task_config.autoland must be true, false or a tree name")
        }
    }

    private struct TaskConfigFile: Decodable {
        var parameters: Parameters?
        struct Parameters: Decodable {
            var tryTaskConfig: Options?
            enum CodingKeys: String, CodingKey { case tryTaskConfig = "try_task_config" }
        }
        struct Options: Decodable { var autoland: Value? }
        enum Value: Decodable {
            case flag(Bool), tree(String), other
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
                else if let tree = try? container.decode(String.self) { self = .tree(tree) }
                else { self = .other }
            }
        }
    }

    /// Letters, digits, `-` and `_`, at most 64: the form of a `[[gecko]]` name.
    static func isTreeName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) || $0 == 0x2d || $0 == 0x5f }
    }

    /// The tree to land on: the one named, or the default; refused unless `settings` allows it.
    public func target(_ settings: AutolandSettings) throws(AutolandError) -> String {
        let tree = self.tree ?? settings.defaultTree
        guard settings.trees.contains(tree) else { throw .unknownTree(tree, allowed: settings.trees) }
        return tree
    }
}
