import Logging
import RepoOps
import Synchronization

/// What a re-check reads of mozilla-central, whatever keeps it (`CentralRecheck`): a cheap stamp
/// that changes whenever central gains or loses a changeset, its tip, what it gained after a tip
/// seen before, and which of some changesets it holds. Only `stamp` may run before central is opened.
protocol CentralHistory {
    /// Changes whenever central moves; read without asking central's VCS. Nil when unknown.
    func stamp() -> String?
    /// Central's tip (full, lowercase).
    func tip() throws -> String
    /// The changesets reachable from `tip` that were not from `since` (with `since` itself or not);
    /// throws when central no longer has `since`.
    func gained(since: String, tip: String) throws -> Set<String>
    /// Those of `pending` that arrived between `since` and `tip`; throws when central no longer has `since`.
    func arrived(_ pending: Set<String>, since: String, tip: String) throws -> Set<String>
    /// Those of `nodes` (full, lowercase) that `tip` holds.
    func holds(_ nodes: Set<String>, tip: String) throws -> Set<String>
}

extension CentralHistory {
    func arrived(_ pending: Set<String>, since: String, tip: String) throws -> Set<String> {
        try gained(since: since, tip: tip).intersection(pending)
    }
}

/// A Mercurial central: the stamp is its changelog file's, and the questions are answered from its
/// changelog index (`ChangelogReader`) without starting Mercurial. Whenever the index cannot be
/// trusted (a format or requirement not handled, obsolescence markers, a share, a node not found,
/// a file rewritten while read), the same question goes to its command server, opened only then.
struct HgCentral: CentralHistory {
    /// Central's root.
    let path: String
    let repository: () throws -> HgRepository
    /// Told why the index was not read (`path`, the reason) before a question goes to Mercurial;
    /// nil logs it once per process, central and reason: a re-check runs every few minutes.
    var distrusted: ((_ path: String, _ reason: String) -> Void)? = nil

    private var changelog: ChangelogReader { ChangelogReader(repository: path) }

    func stamp() -> String? { HgRepository.changelogStamp(path: path) }

    func tip() throws -> String {
        if let tip = indexed({ try $0.tip() }) { return tip }
        return try repository().node(of: "tip")
    }

    /// The revset `since:tip`: central only grows, so what it gained after `since` has higher revisions.
    func gained(since: String, tip: String) throws -> Set<String> {
        if let nodes = indexed({ try $0.nodes(from: since, through: tip) }) { return Set(nodes) }
        return Set(try repository().nodes("\(since):\(tip)"))
    }

    /// Which of `nodes` central has. Asked of Mercurial, one revset; `and all()` leaves out the
    /// working directory's pseudo-node, which `id(ffff…)` names.
    func holds(_ nodes: Set<String>, tip: String) throws -> Set<String> {
        if let present = indexed({ try $0.present(nodes) }) { return present }
        return Set(try repository().nodes("(" + nodes.sorted().map { "id(\($0))" }.joined(separator: " + ") + ") and all()"))
    }

    /// `question` answered from the changelog index, or nil when the index cannot be trusted.
    private func indexed<T>(_ question: (ChangelogReader) throws -> T) -> T? {
        do {
            return try question(changelog)
        } catch {
            (distrusted ?? Self.logOnce)(path, "\(error)")
            return nil
        }
    }

    private static let logged = Mutex<Set<[String]>>([])

    private static func logOnce(_ path: String, _ reason: String) {
        guard logged.withLock({ $0.insert([path, reason]).inserted }) else { return }
        Logger(label: "wptsync.recheck").notice("central's changelog index is not read: Mercurial answers the re-check instead",
                                                metadata: ["central": "\(path)", "reason": "\(reason)"])
    }
}

/// A git central: one branch of a git repository, read with libgit2. The stamp is the branch's
/// tip; each question is one revision walk. In a mixed setup (hg changesets waiting for a git
/// central, `[commit_map]`), `counterpart` gives the git commit of a node the repository lacks.
struct GitCentral: CentralHistory {
    let repository: () throws -> GitGecko
    /// The full name of central's branch (`refs/heads/main`).
    let branch: String
    /// The git commit of an hg changeset with central at a tip (Lando's `hg2git`), or nil while it
    /// has none or Lando fails; nil when every waiting node is a git commit.
    var counterpart: ((_ node: String, _ tip: String) -> String?)? = nil

    func stamp() -> String? { try? tip() }

    func tip() throws -> String {
        guard let tip = try repository().git.referenceTarget(branch) else { throw UpstreamError.missingBranch(branch, repository: try repository().path) }
        return tip.hex
    }

    func gained(since: String, tip: String) throws -> Set<String> {
        Set(try repository().git.commits(from: [try Oid(hex: tip)], hiding: [try Oid(hex: since)], sorted: false).map(\.hex))
    }

    /// What central gained answers for the git commits; in a mixed setup, the waiting nodes the
    /// repository lacks (hg changesets) go to `holds`, through `counterpart`: their git commits may
    /// have landed before `since`, while Lando had no pair for them yet.
    func arrived(_ pending: Set<String>, since: String, tip: String) throws -> Set<String> {
        let arrived = try gained(since: since, tip: tip).intersection(pending)
        guard counterpart != nil else { return arrived }
        let git = try repository().git
        try git.refreshObjects()
        let hg = pending.subtracting(arrived).filter { node in (try? Oid(hex: node)).map { !git.holds($0) } ?? false }
        return hg.isEmpty ? arrived : arrived.union(try holds(hg, tip: tip))
    }

    /// Walks from the nodes the repository has, hiding the tip: what the walk does not reach is
    /// what the tip holds. One walk, not a `git_graph_descendant_of` per node: for 500 waiting
    /// commits it was about 200 times cheaper. One rescan of the pack folders, then lookups that
    /// do not rescan: most waiting commits are not in central yet, and each miss would rescan.
    func holds(_ nodes: Set<String>, tip: String) throws -> Set<String> {
        let git = try repository().git
        try git.refreshObjects()
        var known: [Oid: String] = [:]  // a commit this repository has → the waiting node it stands for
        for node in nodes {
            guard let oid = try? Oid(hex: node) else { continue }
            if git.holds(oid) {
                known[oid] = node
            } else if let counterpart, let mapped = counterpart(node, tip).flatMap({ try? Oid(hex: $0) }), git.holds(mapped) {
                known[mapped] = node
            }
        }
        guard !known.isEmpty else { return [] }
        let outside = Set(try git.commits(from: Array(known.keys), hiding: [try Oid(hex: tip)], sorted: false))
        return Set(known.filter { !outside.contains($0.key) }.map(\.value))
    }
}
