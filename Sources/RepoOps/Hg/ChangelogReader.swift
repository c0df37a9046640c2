#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads which changesets a repository holds straight from its changelog's revlog index
/// (`.hg/store/00changelog.i`), without starting Mercurial: the tip, the revisions stored from a
/// given one on, and which of some nodes are there. Only committed revisions are seen: Mercurial
/// writes the index at a transaction's close (pending entries go to `00changelog.i.a`).
///
/// Every answer throws `HgError.changelogNotRead` when the index cannot be trusted to mean what
/// Mercurial would answer (`ChangelogDistrust`): a format or requirement not handled here, a share,
/// obsolescence markers (hidden changesets), a truncated entry, a node not found, or an index that
/// changed while it was read. Callers then ask Mercurial.
public struct ChangelogReader: Sendable {
    /// The repository root.
    public let repository: String

    /// Reads nothing until asked.
    public init(repository: String) { self.repository = repository }

    /// The node of the last revision.
    public func tip() throws(HgError) -> String {
        try reading { index throws(ChangelogDistrust) in try index.node(at: index.count - 1).hex }
    }

    /// Every node, in revision order (revision `r` at index `r`). Reads the whole index.
    public func nodes() throws(HgError) -> [String] {
        try reading { index throws(ChangelogDistrust) in
            var nodes: [String] = []
            try index.scanBackward { node, _ in nodes.append(node.hex); return false }
            return nodes.reversed()
        }
    }

    /// The revision number of `node`, found by scanning back from the tip; nil when absent.
    public func revision(of node: String) throws(HgError) -> Int? {
        guard let wanted = try? Oid(hex: node) else { return nil }
        return try reading { index throws(ChangelogDistrust) in
            var found: Int?
            try index.scanBackward { node, revision in
                if node == wanted { found = revision }
                return found != nil
            }
            return found
        }
    }

    /// The nodes of the revisions from `since`'s to `tip`'s (both included), as Mercurial's
    /// revset `since:tip`; read from the end back to `since`. Throws when either is missing.
    public func nodes(from since: String, through tip: String) throws(HgError) -> [String] {
        guard let first = try? Oid(hex: since) else { throw .changelogNotRead(repository: repository, .nodeNotFound(since)) }
        guard let last = try? Oid(hex: tip) else { throw .changelogNotRead(repository: repository, .nodeNotFound(tip)) }
        return try reading { index throws(ChangelogDistrust) in
            var seen: [Oid] = []  // from the end backwards
            var firstRevision: Int?, lastRevision: Int?
            try index.scanBackward { node, revision in
                seen.append(node)
                if node == last { lastRevision = revision }
                if node == first { firstRevision = revision }
                return firstRevision != nil && lastRevision != nil
            }
            guard let firstRevision else { throw .nodeNotFound(since) }
            guard let lastRevision else { throw .nodeNotFound(tip) }
            // A strip rewriting the file while it was read would move the nodes.
            guard try index.node(at: firstRevision) == first, try index.node(at: lastRevision) == last else { throw .changedWhileReading }
            let end = index.count - 1
            return (min(firstRevision, lastRevision)...max(firstRevision, lastRevision)).map { seen[end - $0].hex }
        }
    }

    /// Those of `nodes` (40 hex digits) that some revision has; reads back from the tip until all
    /// are found, so the whole index when one is missing.
    public func present(_ nodes: Set<String>) throws(HgError) -> Set<String> {
        var wanted: [Oid: String] = [:]
        for node in nodes {
            // Mercurial resolves more spellings than full nodes: it answers those.
            guard let parsed = try? Oid(hex: node) else { throw .changelogNotRead(repository: repository, .nodeNotFound(node)) }
            wanted[parsed] = node
        }
        guard !wanted.isEmpty else { return [] }
        return try reading { index throws(ChangelogDistrust) in
            var found: Set<String> = []
            try index.scanBackward { node, _ in
                if let name = wanted[node] { found.insert(name) }
                return found.count == wanted.count
            }
            return found
        }
    }

    private func reading<T>(_ body: (OpenChangelogIndex) throws(ChangelogDistrust) -> T) throws(HgError) -> T {
        let answer = Result { () throws(ChangelogDistrust) -> T in
            try checkRepository()
            let index = try OpenChangelogIndex(path: repository + "/.hg/store/00changelog.i")
            defer { index.close() }
            let answer = try body(index)
            try index.checkUnchanged()
            return answer
        }
        switch answer {
        case .success(let value): return value
        case .failure(let reason): throw .changelogNotRead(repository: repository, reason)
        }
    }

    /// Refuses repositories whose changelog this reader could misread.
    private func checkRepository() throws(ChangelogDistrust) {
        let hg = repository + "/.hg"
        if access(hg + "/sharedpath", F_OK) == 0 { throw .shared }
        var requirements = try Self.lines(of: hg + "/requires")
        if requirements.contains("share-safe") { requirements.formUnion(try Self.lines(of: hg + "/store/requires")) }
        if let unhandled = ChangelogIndex.unhandledRequirement(requirements) { throw .requirement(unhandled) }
        var info = stat()
        if stat(hg + "/store/obsstore", &info) == 0, info.st_size > 0 { throw .obsoleteMarkers }
    }

    private static func lines(of path: String) throws(ChangelogDistrust) -> Set<String> {
        let bytes = try OpenChangelogIndex.readWhole(path)
        return Set(bytes.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) })
    }
}
