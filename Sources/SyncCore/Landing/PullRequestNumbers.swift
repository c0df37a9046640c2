/// How upstream commit messages name the PR that produced them.
public enum PullRequestNumbers {
    /// The PR of a merge commit (`Merge pull request #N from …`) or of a squash merge (a first line
    /// ending in `(#N)`); nil otherwise.
    public static func fromMessage(_ message: [UInt8]) -> Int? {
        let firstLine = String(decoding: message.prefix { $0 != 0x0a }, as: UTF8.self).trimmingWhitespace()
        let mergePrefix = "Merge pull request #"
        if firstLine.hasPrefix(mergePrefix) {
            return number(firstLine.dropFirst(mergePrefix.count).prefix { $0.isASCII && $0.isNumber })
        }
        guard firstLine.hasSuffix(")") else { return nil }
        let inner = firstLine.dropLast()
        let digits = inner.reversed().prefix { $0.isASCII && $0.isNumber }
        guard inner.dropLast(digits.count).hasSuffix("(#") else { return nil }
        return number(Substring(String(digits.reversed())))
    }

    /// The Gecko changeset an exported commit came from (its `gecko-commit:` metadata, a full
    /// 40-hex node, lowercased), if any. Anything else is ignored: the value comes from upstream.
    public static func geckoNode(in message: [UInt8]) -> String? {
        fullNode(CommitMessage.parse(bytes: message).metadata["gecko-commit"])
    }

    /// The hg changeset an export from git Gecko also names (`gecko-commit-hg:`), if any.
    public static func geckoHgNode(in message: [UInt8]) -> String? {
        fullNode(CommitMessage.parse(bytes: message).metadata["gecko-commit-hg"])
    }

    private static func fullNode(_ value: String?) -> String? {
        guard let value = value?.lowercased(), value.count == 40, value.allSatisfy(\.isHexDigit) else { return nil }
        return value
    }

    private static func number(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count < 10 else { return nil }
        return Int(digits).flatMap { $0 > 0 ? $0 : nil }
    }
}
