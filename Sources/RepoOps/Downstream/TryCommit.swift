import SyncCore

/// What building the try commit of an upstream pull request gave.
public enum TryCommitResult: Sendable, Equatable {
    /// The commit, in the clone, ready to push.
    case built(node: String)
    /// These paths (relative to the wpt root) do not merge with Gecko's.
    case conflict([String])
    /// The pull request changes nothing Gecko imports.
    case noChanges
}

/// Builds the try commit of an upstream pull request in a clone of mozilla-central (Mercurial or
/// git), without a work tree: the pull request's changes applied below the wpt prefix (the
/// landing's three-way import), plus `try_task_config.json` at the root, as one commit on central's tip.
public struct TryCommitBuilder {
    let importer: ImportBuilder
    let clone: any LandingWorkspace

    public init(git: GitRepository, clone: any LandingWorkspace, prefix: String, excluded: [String]) {
        importer = ImportBuilder(git: git, gecko: clone.source, prefix: prefix, excluded: excluded)
        self.clone = clone
    }

    /// The same, in a Mercurial clone.
    public init(git: GitRepository, clone: LandingClone, prefix: String, excluded: [String]) {
        self.init(git: git, clone: HgLandingWorkspace(clone: clone, url: clone.hg.path), prefix: prefix, excluded: excluded)
    }

    /// Builds the commit of `change` (the pull request's merge base to its head) on `centralTip`.
    /// The same inputs give the same node, so building a head twice never makes a second try push.
    public func build(_ change: UpstreamChange, onto centralTip: String, taskConfig: [UInt8],
                      user: String, date: (seconds: Int64, offset: Int32), message: [UInt8]) throws(ImportError) -> TryCommitResult {
        switch try importer.apply([change], geckoBase: centralTip).first {
        case .conflict(let paths)?:
            return .conflict(paths)
        case .files(var files)? where !files.isEmpty:
            files[HgPath("try_task_config.json")] = .write(HgFile(data: taskConfig, flags: .regular))
            let nodes = try clone.commit([PlannedCommit(user: user, date: date, message: message, files: files)], onto: centralTip)
            return .built(node: nodes[0])
        default:
            return .noChanges
        }
    }
}
