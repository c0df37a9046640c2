import SyncCore

/// Problems of the upstream sync that are not the services' own errors.
public enum UpstreamError: Error, CustomStringConvertible {
    case invalidBranch(String)
    case notConfigured(String)
    case changesetNotFound(node: String)
    case notNeedingFixup(id: Int64, status: SyncStatus)
    case noFreeBranch(String)
    case notBackedOutAfterMerge(id: Int64, status: SyncStatus)
    case revertConflicts(commit: String, files: [String])
    case nothingToRevert(id: Int64)
    case revertBranchTaken(branch: String, by: String)
    /// A Mercurial-only operation was asked of a git Gecko repository.
    case notMercurial(repository: String)
    /// A git Gecko repository lacks the branch its role names.
    case missingBranch(String, repository: String)

    public var description: String {
        switch self {
        case .invalidBranch(let name): "\(name) is not a branch wptsync may push"
        case .notConfigured(let what): "upstreaming needs \(what) in the configuration"
        case .changesetNotFound(let node): "changeset \(node) is in no configured Gecko repository"
        case let .notNeedingFixup(id, status): "sync \(id) is \(status.rawValue), not needs-fixup: there is nothing to resume"
        case .noFreeBranch(let last): "other people's pull requests hold every branch name up to \(last): wptsync opens none"
        case let .notBackedOutAfterMerge(id, status):
            "sync \(id) is \(status.rawValue), not backed-out-after-merge: upstream has nothing of it to revert"
        case let .revertConflicts(commit, files):
            "reverting upstream commit \(commit.prefix(12)) conflicts with master in \(files.joined(separator: ", ")): revert it by hand"
        case .nothingToRevert(let id): "upstream master no longer has what sync \(id) merged: nothing to revert, no PR opened"
        case .notMercurial(let name):
            "\(name) is a git repository (kind = \"git\"); this needs a Mercurial one"
        case let .missingBranch(branch, repository): "\(repository) has no branch \(branch) (its `branch` in the configuration)"
        case let .revertBranchTaken(branch, by):
            "\(branch) holds \(by), not wptsync's revert: nothing pushed, no PR opened; revert by hand, or free the branch and run it again"
        }
    }
}
