/// What reconciling a changed sync would do to its pull request. A nil number is the PR an
/// earlier push of the same dry run opened.
public enum PullRequestAction: Sendable, Equatable, CustomStringConvertible {
    /// Push the branch and open a PR.
    case open
    /// Close the PR (its branch stays).
    case close(Int?)
    /// Reopen the closed PR, then move its branch.
    case reopen(Int?)
    /// Force-push the branch of the open PR with these nodes.
    case update(Int?)
    /// Set the landed status and merge once the checks pass.
    case merge(Int?)
    /// Open a PR, set the landed status and merge once the checks pass.
    case openAndMerge
    /// Nothing changes upstream; the reason.
    case none(String)

    public var description: String {
        let pr = { (number: Int?) in number.map { "PR #\($0)" } ?? "the PR opened above" }
        return switch self {
        case .open: "open a PR"
        case .close(let number): "close \(pr(number))"
        case .reopen(let number): "reopen \(pr(number))"
        case .update(let number): "update \(pr(number))"
        case .merge(let number): "mark \(pr(number)) landed and merge it once its checks pass"
        case .openAndMerge: "open a PR, mark it landed and merge it once its checks pass"
        case .none(let reason): "no PR change (\(reason))"
        }
    }
}

/// A replay without effects: applies pushes to an in-memory copy of the syncs and says what the
/// worker would do. Pure; the caller supplies the stored syncs each push may touch.
public struct DryRun: Sendable {
    /// Syncs changed by the pushes seen so far; new ones get ids -1, -2… so later pushes find them.
    public private(set) var changed: [UpstreamSync] = []
    public let prefixes: PathPrefixes
    /// Full nodes an operator skipped: left out, as the worker leaves them out.
    public let skipped: Set<String>

    public init(prefixes: PathPrefixes, skipped: Set<String> = []) { self.prefixes = prefixes; self.skipped = skipped }

    /// What GitHub would show of each changed sync's PR (by sync id) after the pushes so far.
    private var pullRequests: [Int64: PullRequestFacts.State] = [:]

    /// Applies one push; `stored` are the syncs the store returns for the push's lookup keys
    /// (`UpstreamPlanner.lookupKeys`), `backouts` the earlier backouts its backouts back out
    /// (`BackoutChain.resolve`). Returns the planner's notes and one line per changed sync.
    public mutating func apply(push changesets: [GeckoChangeset], role: GeckoRole, stored: [UpstreamSync],
                               backouts: [String: [String]] = [:]) -> [String] {
        let (bugs, nodes) = UpstreamPlanner.lookupKeys(push: changesets, prefixes: prefixes, backouts: backouts)
        let simulated = changed.filter { sync in
            sync.bug.map(bugs.contains) == true || nodes.contains { prefix in sync.contains(nodePrefix: prefix) }
        }
        let current = stored.filter { sync in !changed.contains { $0.id == sync.id } } + simulated
        let outcome = UpstreamPlanner.apply(push: changesets, role: role, prefixes: prefixes, syncs: current,
                                            skipped: skipped, backouts: backouts)
        var lines = outcome.notes
        for var after in outcome.changed {
            let before = after.id == 0 ? nil : current.first { $0.id == after.id }
            if after.id == 0 { after.id = -Int64(changed.filter { $0.id < 0 }.count + 1) }
            var pullRequest = pullRequests[after.id] ?? before.flatMap(Self.pullRequestState)
            let action = Self.action(before: before, after: after, pullRequest: pullRequest)
            Self.simulate(action, on: &after, pullRequest: &pullRequest)
            pullRequests[after.id] = pullRequest
            changed.removeAll { $0.id == after.id }
            changed.append(after)
            let what = before == nil ? "new sync" : "sync \(after.id > 0 ? String(after.id) : "(new)")"
            lines.append("\(what) \(after.branch): \(action)")
        }
        return lines
    }

    /// What GitHub shows of a stored sync's PR, as its record tells.
    public static func pullRequestState(of sync: UpstreamSync) -> PullRequestFacts.State? {
        guard sync.pullRequest != nil else { return nil }
        switch sync.status {
        case .open, .needsFixup: return .open
        case .incomplete, .backedOutBeforePullRequest: return .closed
        case .merged, .backedOutAfterMerge, .reverted: return .merged
        }
    }

    /// What reconciling `after` does to its PR, given the sync as it was (nil: new) and what GitHub
    /// shows of its PR (nil: none), as `UpstreamReconciler` decides.
    public static func action(before: UpstreamSync?, after: UpstreamSync, pullRequest: PullRequestFacts.State?) -> PullRequestAction {
        let number = after.pullRequest
        switch (UpstreamPlanner.goal(for: after), pullRequest) {
        case (.followRevert(let revert), _):
            return .none(after.status == .merged ? "relanded: closes the revert PR #\(revert) if still open"
                         : "merged upstream, then backed out: waits for the revert PR #\(revert)")
        case (.none, _):
            switch after.status {
            case .merged: return .none("already merged")
            case .reverted: return .none("reverted upstream: a reland starts a new sync")
            case .backedOutAfterMerge: return .none("merged upstream, then backed out: waits for a person: wptsync revert upstream")
            default: return .none("waits for a person: wptsync continue upstream")
            }
        case (.closed, .merged):
            return .none("merged upstream already, then backed out: waits for a person: wptsync revert upstream")
        case (_, .merged):
            return .none("merged upstream already")
        case (.closed, .open):
            return .close(number)
        case (.closed, nil):
            return .none(after.changesets.contains(where: \.backedOut) ? "backed out before a PR was opened" : "nothing left to upstream")
        case (.closed, .closed):
            return .none("nothing left to upstream")
        case (.open, nil):
            return .open
        case (.open, .closed):
            return .reopen(number)
        case (.open(let nodes), .open):
            return nodes == before.map(\.activeNodes) ? .none("same changesets") : .update(number)
        case (.landed, nil):
            return .openAndMerge
        case (.landed(let nodes), .open), (.landed(let nodes), .closed):
            if pullRequest == .open, let before, case .landed(nodes) = UpstreamPlanner.goal(for: before) { return .none("landed already") }
            return .merge(number)
        }
    }

    /// Leaves `sync` and its PR as reconciling it with `action` would.
    static func simulate(_ action: PullRequestAction, on sync: inout UpstreamSync, pullRequest: inout PullRequestFacts.State?) {
        switch action {
        case .open, .reopen, .update, .merge, .openAndMerge:
            pullRequest = .open
            sync.status = .open
            sync.exportedNodes = sync.activeNodes
        case .close:
            pullRequest = .closed
            sync.settleClosed(pullRequest: .closed)
        case .none:
            guard case .closed = UpstreamPlanner.goal(for: sync) else {
                if pullRequest == .merged, !sync.status.isMergedUpstream { sync.status = .merged }
                return
            }
            sync.settleClosed(pullRequest: pullRequest)
        }
    }
}
