/// What the upstream sync needs to know about one Gecko changeset.
public struct GeckoChangeset: Sendable, Equatable {
    public var node: String
    public var isMerge: Bool
    public var description: [UInt8]
    /// The paths the changeset touched (from the changelog entry).
    public var files: [[UInt8]]

    public init(node: String, isMerge: Bool, description: [UInt8], files: [[UInt8]]) {
        self.node = node; self.isMerge = isMerge; self.description = description; self.files = files
    }
}

/// How a changeset takes part in upstreaming.
public enum ChangesetKind: Sendable, Equatable {
    /// A change to upstream wpt files, for `bug` (nil when the message names none).
    case wpt(bug: Int?)
    /// A backout or revert of the changesets whose nodes start with these (12 to 40 hex digits).
    case backout(nodes: [String])
    /// Nothing to upstream, and why.
    case skip(String)
}

/// The metadata keys that mark a changeset as imported from upstream: never exported back.
public let importMarkers: Set<String> = ["wpt-pr", "wpt-commits", "wpt-head", "wpt-type"]

extension GeckoChangeset {
    /// Classifies the changeset. Backouts are recognised by their message whatever files they touch.
    public func kind(prefixes: PathPrefixes) -> ChangesetKind {
        if isMerge { return .skip("merge") }
        let message = CommitMessage.parse(bytes: description)
        if !importMarkers.isDisjoint(with: message.metadata.keys) { return .skip("imported from upstream") }
        let backedOut = (message.backout?.nodes ?? []) + (message.reverts?.commits ?? [])
        if !backedOut.isEmpty { return .backout(nodes: backedOut.map { $0.lowercased() }) }
        guard files.contains(where: prefixes.isWPT) else {
            return .skip(files.contains(where: prefixes.isMeta) ? "only wpt metadata" : "no wpt files")
        }
        return .wpt(bug: message.bugs.first)
    }
}
