/// A Gecko repository as the upstream side reads it, whatever keeps it: Mercurial through its
/// command server (`HgRepository`) or git through libgit2 (`GitGecko`). Both give the same
/// values (`HgChangeset`, `HgFile`), so the pure rules and the export treat them alike.
public protocol GeckoSource: AnyObject {
    /// Where the repository lives.
    var path: String { get }
    /// The changeset `revision` names (a full node, or for git also a unique prefix).
    func changeset(_ revision: String) throws -> HgChangeset
    /// The changeset whose node starts with `prefix` (hex); nil when there is none or several.
    func changeset(prefix: String) throws -> HgChangeset?
    /// The files at `paths` in `revision`; paths absent there are left out.
    func files(at revision: String, paths: [HgPath]) throws -> [HgPath: HgFile]
    /// Whether the repository holds the changeset `node`.
    func holds(_ node: String) -> Bool
    /// The full node `revision` names (with Mercurial, any revset).
    func node(of revision: String) throws -> String
    /// Ends what reading the repository keeps open (Mercurial's command server); nothing for git.
    func close()
}

extension GeckoSource {
    public func node(of revision: String) throws -> String { try changeset(revision).node }
    public func close() {}
}

extension HgRepository: GeckoSource {
    public func changeset(prefix: String) throws -> HgChangeset? {
        guard !prefix.isEmpty, prefix.allSatisfy(\.isHexDigit) else { return nil }
        do {
            let found = try changesets("id(\(prefix))")
            return found.count == 1 ? found[0] : nil
        } catch {
            switch error {
            case .unknownRevision, .commandFailed: return nil
            default: throw error
            }
        }
    }

    public func holds(_ node: String) -> Bool { (try? self.node(of: node)) != nil }
}

extension Error {
    /// Whether this is a Gecko repository's "no such revision" (Mercurial's or git's).
    public var isUnknownGeckoRevision: Bool {
        switch self as any Error {
        case HgError.unknownRevision, GitError.unknownRevision: true
        default: false
        }
    }
}
