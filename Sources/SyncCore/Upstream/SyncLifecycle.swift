/// Pure rules for how backouts, relands and a closed or merged PR move a sync between states.
/// The reconciler and the dry run both take them, so a preview says what the worker does.
extension UpstreamSync {
    /// Marks the changesets whose nodes start with `prefix` backed out (`backedOut`) or relanded
    /// (`!backedOut`); returns whether the sync holds such a changeset. A merged sync that loses a
    /// changeset its PR held becomes `backed-out-after-merge`; one whose backouts are all backed out
    /// again is `merged` again, and an open revert PR is then to be closed. A `reverted` sync is
    /// history and stays as it is: a reland starts a new sync (`UpstreamPlanner.apply`).
    public mutating func mark(nodePrefix prefix: String, backedOut: Bool) -> Bool {
        guard status != .reverted else { return contains(nodePrefix: prefix) }
        var hit = false
        for index in changesets.indices where changesets[index].node.hasPrefix(prefix) {
            hit = true
            changesets[index].backedOut = backedOut
        }
        guard hit, status.isMergedUpstream else { return hit }
        status = lostMergedChange ? .backedOutAfterMerge : .merged
        waitingFor = revertPullRequest.map(revertWaiting(number:))
        return hit
    }

    /// What a `backed-out-after-merge` sync waits for before a person opened a revert PR.
    public static func revertWaiting(id: Int64) -> String {
        "a person: upstream master has the change Gecko backed out; `wptsync revert upstream \(id)` opens a PR reverting it"
    }

    /// What a merged sync with an open revert PR (`number`) waits for: its merge, or, once Gecko
    /// relanded the change, wptsync closing it.
    func revertWaiting(number: Int) -> String {
        lostMergedChange ? UpstreamRevert.waiting(for: number) : "wptsync to close the revert PR #\(number): Gecko relanded the change"
    }

    /// The state once GitHub shows the revert PR as `state`. Merged: `reverted` (upstream no
    /// longer has the change). Closed unmerged: the revert PR is forgotten, and the sync is
    /// `backed-out-after-merge` again (a person decides anew) or, relanded, `merged`. Open: it waits.
    public mutating func settleRevert(_ state: PullRequestFacts.State) {
        guard let number = revertPullRequest, status.isMergedUpstream else { return }
        switch state {
        case .merged:
            // Relanded while the revert was being merged: upstream lacks what Gecko has.
            waitingFor = lostMergedChange ? nil : "a person: the revert PR #\(number) was merged after Gecko relanded the change: "
                + "upstream it by hand"
            status = .reverted
        case .closed:
            revertPullRequest = nil
            revertOpenedAt = nil
            status = lostMergedChange ? .backedOutAfterMerge : .merged
            waitingFor = nil
        case .open:
            waitingFor = revertWaiting(number: number)
        }
    }

    /// The state of a sync with nothing left to upstream once its PR is closed; `pullRequest` is
    /// what GitHub shows of it (nil: none was ever opened). A merged PR is never reverted by
    /// wptsync: the sync waits for a person (`waiting` names the command).
    public mutating func settleClosed(pullRequest: PullRequestFacts.State?) {
        switch pullRequest {
        case .merged:
            status = .backedOutAfterMerge
            waitingFor = nil
        case nil where changesets.contains(where: \.backedOut):
            status = .backedOutBeforePullRequest
            waitingFor = nil
        case nil, .open, .closed:
            status = .incomplete
            waitingFor = pullRequest == nil || changesets.isEmpty ? nil : "a reland"
        }
    }
}

/// The backouts a push's backouts back out: a backout of a backout relands what the first one
/// backed out.
public enum BackoutChain {
    /// How far a chain of backouts of backouts is followed.
    public static let maxDepth = 8

    /// What backing out `targets` does: each node prefix with true (backed out) or false
    /// (relanded). `backouts` maps each known backout changeset (full node) to what it backs out.
    public static func effects(of targets: [String], backouts: [String: [String]], depth: Int = 0) -> [(prefix: String, backedOut: Bool)] {
        targets.flatMap { target -> [(prefix: String, backedOut: Bool)] in
            guard depth < maxDepth, let backout = backouts.keys.sorted().first(where: { $0.hasPrefix(target) }) else {
                return [(target, true)]
            }
            return effects(of: backouts[backout] ?? [], backouts: backouts, depth: depth + 1).map { ($0.prefix, !$0.backedOut) }
        }
    }

    /// The backouts that the push's backouts back out, with what they back out, followed down the
    /// chain; `lookup` reads a changeset from Gecko by node prefix (nil: none).
    public static func resolve(push changesets: [GeckoChangeset], prefixes: PathPrefixes,
                               lookup: (String) throws -> GeckoChangeset?) rethrows -> [String: [String]] {
        var found: [String: [String]] = [:]
        var pending = changesets.flatMap { changeset -> [String] in
            if case .backout(let nodes) = changeset.kind(prefixes: prefixes) { return nodes }
            return []
        }
        var seen = Set<String>()
        while let target = pending.popLast() {
            guard seen.insert(target).inserted, seen.count <= maxDepth * 16,
                  !changesets.contains(where: { $0.node.hasPrefix(target) }),
                  let changeset = try lookup(target), case .backout(let nodes) = changeset.kind(prefixes: prefixes) else { continue }
            found[changeset.node] = nodes
            pending += nodes
        }
        return found
    }
}
