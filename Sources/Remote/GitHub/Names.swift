/// A branch name that is safe to use as `refs/heads/<name>` with git and in GitHub URLs.
///
/// The rules are git's (`git check-ref-format --branch`), slightly stricter: no empty
/// component, no component starting with `.` or ending with `.lock`, no `..`, no `@{`, no
/// control characters, space, `~ ^ : ? * [ \`, not `@` or `HEAD`, no leading `-` (it would read as
/// an option) and no trailing `.` or `/`; at most 255 bytes. Names that come from remote input
/// (a PR's head) go through this before they reach git.
public struct BranchName: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Nil when `name` is not a valid branch name; `problem(with:)` says why.
    public init?(_ name: String) {
        guard Self.problem(with: name) == nil else { return nil }
        rawValue = name
    }

    /// The first rule `name` breaks, or nil when it is a valid branch name.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > 255 { return "is longer than 255 bytes" }
        if name == "@" || name == "HEAD" { return "is reserved" }
        if name.hasPrefix("-") { return "starts with '-'" }
        if name.hasSuffix(".") { return "ends with '.'" }
        if name.contains("..") { return "contains '..'" }
        if name.contains("@{") { return "contains '@{'" }
        if let bad = name.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7f || " ~^:?*[\\".unicodeScalars.contains($0) }) {
            return "contains the character U+\(String(bad.value, radix: 16, uppercase: true))"
        }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "has an empty path component" }
            if component.hasPrefix(".") { return "has a component starting with '.'" }
            if component.hasSuffix(".lock") { return "has a component ending with '.lock'" }
        }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        if let problem = Self.problem(with: name) {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid branch name: \(problem)")
        }
        rawValue = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// A repository as `owner/name`.
public struct RepositoryName: Sendable, Hashable, CustomStringConvertible {
    public let owner: String
    public let name: String

    /// Nil unless both parts are non-empty and made of letters, digits, `-`, `_` and `.` (and
    /// neither is `.` or `..`).
    public init?(owner: String, name: String) {
        func valid(_ part: String) -> Bool {
            !part.isEmpty && part != "." && part != ".." && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
            }
        }
        guard valid(owner), valid(name) else { return nil }
        self.owner = owner
        self.name = name
    }

    /// Parses `owner/name`.
    public init?(_ fullName: String) {
        let parts = fullName.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(owner: String(parts[0]), name: String(parts[1]))
    }

    public var description: String { "\(owner)/\(name)" }
}

/// Whether `text` is a full commit id: 40 lowercase hex digits (or 64 for SHA-256 repositories).
func isCommitID(_ text: String) -> Bool {
    (text.utf8.count == 40 || text.utf8.count == 64) && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
}
