import RepoOps
import SyncCore

extension Replayer {
    /// `--revs OLD..NEW` on a git Gecko repository: its branch moving from OLD to NEW, one event
    /// with the key its post-receive hook gives the same update. Each end must be a commit there.
    func gitRangeItem(_ repository: GeckoRepository, range: String) throws -> Item {
        let ends = range.components(separatedBy: "..")
        guard ends.count == 2, let branch = repository.branch else {
            throw ApplicationError.badArgument(option: "--revs", value: range, expected: "OLD..NEW for git repository \(repository.name)")
        }
        let gecko = try GitGecko(path: repository.path)
        var nodes: [String] = []
        for (which, end) in zip(["start", "end"], ends) {
            do {
                nodes.append(try gecko.changeset(end).node)
            } catch GitError.unknownRevision {
                throw ApplicationError.unknownRangeEnd(option: "--revs", range: range, end: which, revision: end,
                                                       repository: repository.name, path: repository.path)
            }
        }
        let update = RefUpdate(old: nodes[0], new: nodes[1], ref: branch)
        return Item(payload: .gitPush(GitPush(repository: repository.name, updates: [update])),
                    label: "\(repository.name) \(branch) \(update.old.prefix(12))..\(update.new.prefix(12))")
    }

    /// The changesets an event of `repository` names, for `--dry-run`.
    func previewed(_ payload: EventPayload, in repository: GeckoRepository) throws -> [GeckoChangeset] {
        switch payload {
        case .hgPush(let push):
            return try servers.server(for: repository).changesets("\(push.firstNode):\(push.lastNode)").map(GeckoChangeset.init)
        case .gitPush(let push):
            let gecko = try servers.git(for: repository)
            return try push.updates.flatMap { try gecko.changesets(from: $0.old, to: $0.new) }.map(GeckoChangeset.init)
        case .gitHubDelivery:
            return []
        }
    }
}
