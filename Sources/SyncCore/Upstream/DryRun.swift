/// What reconciling a changed sync would do to its pull request.
public enum PullRequestAction: Sendable, Equatable, CustomStringConvertible {
    /// Push the branch and open a PR.
    case open
    /// Close the PR (its branch stays).
    case close(Int)
    /// Reopen the closed PR, then move its branch.
    case reopen(Int)
    /// Force-push the branch of the open PR with these nodes.
    case update(Int)
    /// Set the landed status and merge once the checks pass (opening the PR first when there is none).
    case merge(Int?)
    /// Nothing changes upstream; the reason.
    case none(String)

    public var description: String {
        switch self {
        case .open: "open a PR"
        case .close(let number): "close PR #\(number)"
        case .reopen(let number): "reopen PR #\(number)"
        case .update(let number): "update PR #\(number)"
        case .merge(let number?): "mark PR #\(number) landed and merge it once its checks pass"
        case .merge(nil): "open a PR, mark it landed and merge it once its checks pass"
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

    /// Applies one push; `stored` are the syncs the store returns for the push's lookup keys
    /// (`UpstreamPlanner.lookupKeys`). Returns the planner's notes and one line per changed sync.
    public mutating func apply(push changesets: [GeckoChangeset], role: GeckoRole, stored: [UpstreamSync]) -> [String] {
        let (bugs, nodes) = UpstreamPlanner.lookupKeys(push: changesets, prefixes: prefixes)
        let simulated = changed.filter { sync in
            sync.bug.map(bugs.contains) == true || nodes.contains { prefix in sync.contains(nodePrefix: prefix) }
        }
        let current = stored.filter { sync in !changed.contains { $0.id == sync.id } } + simulated
        let outcome = UpstreamPlanner.apply(push: changesets, role: role, prefixes: prefixes, syncs: current, skipped: skipped)
        var lines = outcome.notes
        for var after in outcome.changed {
            let before = after.id == 0 ? nil : current.first { $0.id == after.id }
            if after.id == 0 { after.id = -Int64(changed.filter { $0.id < 0 }.count + 1) }
            changed.removeAll { $0.id == after.id }
            changed.append(after)
            let what = before == nil ? "new sync" : "sync \(after.id > 0 ? String(after.id) : "(new)")"
            lines.append("\(what) \(after.branch): \(Self.action(before: before, after: after))")
        }
        return lines
    }

    /// What reconciling `after` would do to its PR, given the sync as it was (nil: new).
    public static func action(before: UpstreamSync?, after: UpstreamSync) -> PullRequestAction {
        let wasOpen = before.map { sync -> Bool in
            switch UpstreamPlanner.goal(for: sync) {
            case .open, .landed: sync.pullRequest != nil
            case .closed, .none: false
            }
        } ?? false
        switch UpstreamPlanner.goal(for: after) {
        case .none:
            return .none(after.status == .merged ? "already merged" : "waits for a person: wptsync continue upstream")
        case .closed:
            guard let number = after.pullRequest, wasOpen else { return .none("nothing left to upstream") }
            return .close(number)
        case .open(let nodes):
            guard let number = after.pullRequest else { return .open }
            if !wasOpen { return .reopen(number) }
            return nodes == before.map(\.activeNodes) ? .none("same changesets") : .update(number)
        case .landed(let nodes):
            if let before, case .landed(nodes) = UpstreamPlanner.goal(for: before) { return .none("landed already") }
            return .merge(after.pullRequest)
        }
    }
}
