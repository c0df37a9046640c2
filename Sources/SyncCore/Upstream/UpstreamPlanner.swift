/// The effect of one push on the upstream syncs.
public struct PushOutcome: Sendable, Equatable {
    /// Syncs created or changed by the push (new ones have id 0).
    public var changed: [UpstreamSync]
    /// One line per decision, for the log.
    public var notes: [String]
}

/// Pure rules that turn pushes into upstream syncs.
public enum UpstreamPlanner {
    /// Applies a push's changesets, in order, to `syncs`: those of the push's bugs (all of them, for
    /// sequence numbers) and those holding the push's nodes or the nodes it backs out.
    /// Changesets in `skipped` (full nodes an operator skipped) are left out of new syncs.
    /// `backouts` are earlier backouts the push's backouts back out (`BackoutChain.resolve`): what
    /// they backed out is relanded. `counterparts` gives, for a node prefix a backout names, the
    /// same change's nodes in the other kind of Gecko (`MirroredNodes`): they are backed out too.
    /// Replaying a push changes nothing.
    public static func apply(push changesets: [GeckoChangeset], role: GeckoRole, prefixes: PathPrefixes,
                             syncs: [UpstreamSync], skipped: Set<String> = [], backouts: [String: [String]] = [:],
                             counterparts: [String: [String]] = [:]) -> PushOutcome {
        var all = syncs
        var backouts = backouts
        var changed = Set<Int>()
        var notes: [String] = []
        let short = { (node: String) in String(node.prefix(12)) }

        for changeset in changesets {
            switch changeset.kind(prefixes: prefixes) {
            case .skip(let reason):
                notes.append("\(short(changeset.node)): skipped (\(reason))")
            case .wpt(let bug):
                // A reverted sync is history: the reland's sync, if any, holds the node now.
                let holders = all.indices.filter { all[$0].changesets.contains { $0.node == changeset.node } }
                if let index = holders.first(where: { all[$0].status != .reverted }) ?? holders.first {
                    if role == .central, let c = all[index].changesets.firstIndex(where: { $0.node == changeset.node }),
                       !all[index].changesets[c].inCentral {
                        all[index].changesets[c].inCentral = true
                        changed.insert(index)
                        notes.append("\(short(changeset.node)): reached mozilla-central")
                    }
                    continue
                }
                if skipped.contains(changeset.node) {
                    notes.append("\(short(changeset.node)): skipped by an operator (`wptsync skip`): not upstreamed")
                    continue
                }
                let entry = SyncChangeset(node: changeset.node, inCentral: role == .central)
                if let bug, let index = all.firstIndex(where: { $0.bug == bug && !$0.status.isMergedUpstream }) {
                    all[index].changesets.append(entry)
                    changed.insert(index)
                } else {
                    let sequence = bug.map { b in all.filter { $0.bug == b }.map(\.sequence).max().map { $0 + 1 } ?? 0 } ?? 0
                    all.append(UpstreamSync(bug: bug, sequence: sequence, changesets: [entry]))
                    changed.insert(all.count - 1)
                }
                notes.append("\(short(changeset.node)): " + (bug.map { "bug \($0)" } ?? "no bug number: synced on its own"))
            case .backout(let nodes):
                var hit = false
                var relanded: [String] = []
                for effect in MirroredNodes.including(counterparts, BackoutChain.effects(of: nodes, backouts: backouts)) {
                    if !effect.backedOut { relanded.append(effect.prefix) }
                    for index in all.indices {
                        let before = all[index]
                        if all[index].mark(nodePrefix: effect.prefix, backedOut: effect.backedOut) { hit = true }
                        if all[index] != before { changed.insert(index) }
                    }
                    if !effect.backedOut, let reland = relandAfterRevert(of: effect.prefix, in: &all) {
                        changed.insert(reland)
                        notes.append("\(short(effect.prefix)): its sync was reverted upstream: the reland starts sync \(all[reland].branch)")
                    }
                }
                backouts[changeset.node] = nodes
                notes.append("\(short(changeset.node)): backs out \(nodes.map(short).joined(separator: ", "))"
                             + (relanded.isEmpty ? "" : ", a backout: relands \(relanded.map(short).joined(separator: ", "))")
                             + (hit ? "" : " (nothing synced: no change)"))
            }
        }
        return PushOutcome(changed: changed.sorted().map { all[$0] }, notes: notes)
    }

    /// Adds the changesets starting with `prefix` that a `reverted` sync holds, and no other sync, to
    /// the bug's sync taking changesets or a new one (upstream no longer has them); returns its index.
    static func relandAfterRevert(of prefix: String, in all: inout [UpstreamSync]) -> Int? {
        let holders = all.filter { $0.contains(nodePrefix: prefix) }
        guard let reverted = holders.last, holders.allSatisfy({ $0.status == .reverted }) else { return nil }
        let relanded = reverted.changesets.filter { $0.node.hasPrefix(prefix) }.map { SyncChangeset(node: $0.node, inCentral: $0.inCentral) }
        if let bug = reverted.bug, let index = all.firstIndex(where: { $0.bug == bug && !$0.status.isMergedUpstream }) {
            all[index].changesets += relanded
            return index
        }
        let sequences = all.filter { $0.bug == reverted.bug && (reverted.bug != nil || $0.branch.hasPrefix(reverted.branch)) }.map(\.sequence)
        all.append(UpstreamSync(bug: reverted.bug, sequence: (sequences.max() ?? reverted.sequence) + 1, changesets: relanded))
        return all.count - 1
    }

    /// Marks exactly the changesets in `skipped` (full nodes) as skipped in `syncs`, as a partial
    /// backout would: the branch is rebuilt without them, and a sync left with none is closed.
    /// Returns the syncs that changed; merged syncs are history and stay as they are.
    public static func applySkips(_ skipped: Set<String>, to syncs: [UpstreamSync]) -> [UpstreamSync] {
        syncs.compactMap { sync in
            guard !sync.status.isMergedUpstream else { return nil }
            var updated = sync
            for index in updated.changesets.indices {
                updated.changesets[index].skipped = skipped.contains(updated.changesets[index].node)
            }
            return updated == sync ? nil : updated
        }
    }

    /// What to look up before applying a push: the bugs of its wpt changes, and the nodes it holds
    /// or backs out (prefixes of 12 to 40 hex digits).
    /// `backouts` adds what the backouts that the push backs out backed out (`BackoutChain.resolve`),
    /// `counterparts` the other kind's nodes of what it backs out.
    public static func lookupKeys(push changesets: [GeckoChangeset], prefixes: PathPrefixes,
                                  backouts: [String: [String]] = [:], counterparts: [String: [String]] = [:]) -> (bugs: [Int], nodes: [String]) {
        var bugs: [Int] = []
        var nodes = changesets.map(\.node) + backouts.values.flatMap { $0 } + counterparts.values.flatMap { $0 }
        for changeset in changesets {
            switch changeset.kind(prefixes: prefixes) {
            case .wpt(let bug?): bugs.append(bug)
            case .backout(let backedOut): nodes += backedOut
            default: continue
            }
        }
        return (bugs, nodes)
    }

    /// What reconciling a sync must achieve upstream.
    public enum Goal: Sendable, Equatable {
        /// Nothing to upstream (all backed out, or no wpt content): any open PR is closed.
        case closed
        /// The branch holds `nodes` and a PR is open.
        case open(nodes: [String])
        /// As `open`, and every node has reached mozilla-central: mark landed and merge when checks pass.
        case landed(nodes: [String])
        /// A merged sync's revert PR (`number`): follow it, and close it once Gecko relanded the change.
        case followRevert(number: Int)
        /// Terminal or waiting for a person: do nothing.
        case none
    }

    /// The goal for `sync` as it stands; `retryingConflict` gives a sync that needs fixing
    /// another try, as every later push does.
    public static func goal(for sync: UpstreamSync, retryingConflict: Bool = false) -> Goal {
        switch sync.status {
        case .merged, .backedOutAfterMerge: return sync.revertPullRequest.map { .followRevert(number: $0) } ?? .none
        case .reverted: return .none
        case .needsFixup where !retryingConflict: return .none
        case .open, .incomplete, .needsFixup, .backedOutBeforePullRequest:
            let nodes = sync.activeNodes
            if nodes.isEmpty { return .closed }
            return sync.isLanded ? .landed(nodes: nodes) : .open(nodes: nodes)
        }
    }

    /// The PR title and body for a sync: `[Gecko Bug N] <summary>` from its first changeset, and a body
    /// with that changeset's message body and the sync's metadata lines.
    public static func pullRequestText(for sync: UpstreamSync, firstDescription: [UInt8], bugzillaURL: String) -> (title: String, body: String) {
        let message = String(decoding: firstDescription, as: UTF8.self)
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let summary = CommitMessage.exportSummary(String(lines.first ?? ""))
        let title = sync.bug.map { "[Gecko Bug \($0)] \(summary)" } ?? "[Gecko] \(summary)"
        var body = lines.dropFirst().joined(separator: "\n").trimmingWhitespace()
        let parsed = CommitMessage.parse(bytes: firstDescription)
        var metadata: [String] = []
        if let bug = sync.bug { metadata.append("bugzilla-url: \(bugzillaURL)\(bug)") }
        metadata.append("gecko-commits: \(sync.activeNodes.joined(separator: ", "))")
        if !parsed.reviewers.isEmpty { metadata.append("gecko-reviewers: \(parsed.reviewers.joined(separator: ", "))") }
        if let point = sync.syncPoint {
            body += (body.isEmpty ? "" : "\n\n") + "This pull request was opened from \(point), the upstream revision Gecko is synced to,"
                + " because its changes conflict with master. Please resolve the conflict on this branch: wptsync keeps the fixed commits."
        }
        body += (body.isEmpty ? "" : "\n\n") + metadata.joined(separator: "\n")
        return (title, body)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
