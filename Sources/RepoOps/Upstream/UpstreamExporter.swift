import SyncCore

/// One exported wpt commit.
public struct ExportedCommit: Sendable, Equatable {
    /// The Gecko changeset's full node.
    public var node: String
    /// The wpt commit (its parent is the `onto` commit of the export).
    public var commit: Oid
    /// The commit's tree.
    public var tree: Oid

    public init(node: String, commit: Oid, tree: Oid) { self.node = node; self.commit = commit; self.tree = tree }
}

/// What exporting one changeset produced.
public enum ExportOutcome: Sendable, Equatable {
    case exported(ExportedCommit)
    /// The changeset's wpt part is empty, or changes nothing in `onto`: no commit.
    case empty
    /// Three-way application onto `onto` failed for these paths (relative to the wpt root, sorted).
    case conflict(files: [String])
}

/// Exports Gecko changesets as upstream wpt commits, in memory: the changeset's part below the wpt
/// prefix is applied three-way, file by file, onto a commit of the (bare) wpt mirror, and
/// committed with the changeset's author, date and an upstream message. No work tree is used.
///
/// Not thread-safe, like the repositories it uses.
public final class UpstreamExporter {
    /// How changesets are read from Mercurial.
    public enum HgReadPath: Sendable {
        /// The `wptsync-export` extension when this hg can load it, else stock commands.
        case automatic
        /// Only stock commands (`status --change`, `files`, `cat`), which rebuild full manifests.
        case stockCommands
    }

    /// Where changesets are read.
    private enum Source {
        case hg(ChangesetReader)
        case git(GitGecko)
    }

    let git: GitRepository
    let bugzillaURL: String
    private let source: Source
    /// The wpt prefix, without a trailing slash.
    private let prefix: String
    /// Whether reads go through the `wptsync-export` extension (false after a fallback to stock commands).
    public private(set) var usesExtension: Bool
    /// The hg changeset of a node, when the export reads git Gecko and its hg mirror is known
    /// (`gecko-commit-hg:`); nil otherwise.
    public var hgNode: (String) -> String? = { _ in nil }

    /// - Parameters:
    ///   - hg: the Gecko repository (its command server serves every read).
    ///   - git: the wpt mirror, normally bare; new objects are written into it.
    ///   - prefixes: only changes below `prefixes.wpt` are exported, with the prefix stripped.
    ///   - readPath: `.automatic` unless measuring the stock path.
    public init(hg: HgRepository, git: GitRepository, prefixes: PathPrefixes,
                bugzillaURL: String = "https://bugzilla.mozilla.org/show_bug.cgi?id=",
                readPath: HgReadPath = .automatic) {
        self.git = git
        self.bugzillaURL = bugzillaURL
        prefix = Self.trimmed(prefixes.wpt)
        source = .hg(ChangesetReader(hg: hg, prefix: prefix))
        usesExtension = readPath == .automatic
    }

    /// Exports from `gecko`, Mercurial or git; the same changes give the same wpt commits, except
    /// that `gecko-commit:` names the node of the repository they were read from.
    public init(gecko: any GeckoSource, git: GitRepository, prefixes: PathPrefixes,
                bugzillaURL: String = "https://bugzilla.mozilla.org/show_bug.cgi?id=") {
        self.git = git
        self.bugzillaURL = bugzillaURL
        prefix = Self.trimmed(prefixes.wpt)
        switch gecko {
        case let gitGecko as GitGecko:
            source = .git(gitGecko)
            usesExtension = false
        case let hg as HgRepository:
            source = .hg(ChangesetReader(hg: hg, prefix: prefix))
            usesExtension = true
        default:
            preconditionFailure("GeckoSource is implemented by HgRepository and GitGecko only")
        }
    }

    private static func trimmed(_ prefix: String) -> String {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix
    }

    /// Builds the wpt commit of `node` on top of commit `onto` (a commit in `git`, e.g. the mirror's
    /// master or the previous exported commit of the same sync). Deterministic: the same inputs
    /// give the same commit id. A path escaping the tree throws before anything is written.
    public func export(node: String, onto: Oid) throws(ExportError) -> ExportOutcome {
        let changes = try read(node)
        let fullNode = changes.changeset.node
        if changes.changeset.isMerge { throw .mergeChangeset(node: fullNode) }

        var files: [(path: GitPath, file: ChangedFile, source: GitPath?)] = []
        for file in changes.files {
            guard let path = relative(file.path) else { continue }
            try validate(path, original: file.path, node: fullNode)
            var source: GitPath?
            if let copySource = file.copySource, let relativeSource = relative(copySource) {
                try validate(relativeSource, original: copySource, node: fullNode)
                source = relativeSource
            }
            files.append((path, file, source))
        }
        if files.isEmpty { return .empty }

        do throws(GitError) {
            let base = try git.commit(onto)
            let reads = TreeReads(git)
            let plan = try ThreeWayPlan.make(files: files, baseTree: base.tree, git: git, reads: reads)
            if !plan.conflicts.isEmpty { return .conflict(files: plan.conflicts) }
            var editor = TreeEditor()
            for path in plan.deletions { editor.delete(path) }
            for (path, version) in plan.upserts {
                if let data = version.data { _ = try git.writeBlob(data) }
                editor.upsert(path, oid: version.oid, mode: version.mode)
            }
            let tree = try editor.write(onto: base.tree, reading: reads)
            if tree == base.tree { return .empty }
            let signature = Self.signature(author: changes.changeset.author, date: changes.changeset.date)
            let message = Self.message(for: changes.changeset.description, node: fullNode, hgNode: hgNode(fullNode), bugzillaURL: bugzillaURL)
            let commit = try git.createCommit(tree: tree, parents: [onto], author: signature,
                                              committer: signature, message: message)
            return .exported(ExportedCommit(node: fullNode, commit: commit, tree: tree))
        } catch {
            throw .git(error, node: fullNode)
        }
    }

    /// Moves what the `wptsync-export` extension keeps of the manifest in `hg`'s command server to
    /// `node`'s manifest, so that a later export from that server does not walk the Gecko-only
    /// changesets up to `node` (a worker calls it per push). Costs what exporting a changeset after
    /// those changesets would have spent on them; false when this hg cannot load the extension.
    public static func advanceCursor(in hg: HgRepository, to node: String, prefixes: PathPrefixes) throws(ExportError) -> Bool {
        try ChangesetReader(hg: hg, prefix: trimmed(prefixes.wpt)).advance(to: node)
    }

    private func read(_ node: String) throws(ExportError) -> ChangesetChanges {
        let reader: ChangesetReader
        switch source {
        case .git(let gecko): return try gecko.changes(of: node, under: prefix)
        case .hg(let hgReader): reader = hgReader
        }
        if usesExtension {
            if let changes = try reader.viaExtension(node) { return changes }
            usesExtension = false
        }
        return try reader.viaStockCommands(node)
    }

    /// The path below the wpt prefix, or nil when the path is elsewhere.
    private func relative(_ path: HgPath) -> GitPath? {
        if self.prefix.isEmpty { return path }
        let prefix = Array(self.prefix.utf8) + [UInt8(ascii: "/")]
        guard path.bytes.count > prefix.count, path.bytes.starts(with: prefix) else { return nil }
        return GitPath(bytes: Array(path.bytes[prefix.count...]))
    }

    private func validate(_ path: GitPath, original: HgPath, node: String) throws(ExportError) {
        if path.escapesTree { throw .pathEscapesTree(path: original, node: node) }
    }
}
