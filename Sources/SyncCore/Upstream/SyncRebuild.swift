/// What GitHub shows of one of wptsync's pull requests, for rebuilding its sync record.
public struct PullRequestFacts: Sendable, Equatable {
    public enum State: String, Sendable { case open, closed, merged }

    public var number: Int
    public var url: String
    public var branch: String
    public var state: State
    public var body: String
    public var labels: [String]
    public var head: String?

    public init(number: Int, url: String, branch: String, state: State, body: String, labels: [String], head: String?) {
        self.number = number; self.url = url; self.branch = branch; self.state = state
        self.body = body; self.labels = labels; self.head = head
    }
}

/// Pure rules that recreate sync records from the metadata wptsync leaves in its pull requests
/// (`gecko/…` branch, label, `gecko-commits:` and `bugzilla-url:` lines) and in Gecko's history.
public enum SyncRebuild {
    /// Bug and sequence of a sync branch: `gecko/<bug>`, `gecko/changeset-<node>` (no bug), each
    /// optionally followed by `-<n>`; nil for any other branch.
    public static func parse(branch: String) -> (bug: Int?, sequence: Int)? {
        guard branch.hasPrefix("gecko/") else { return nil }
        var name = branch.dropFirst("gecko/".count)
        let bugless = name.hasPrefix("changeset-")
        if bugless { name = name.dropFirst("changeset-".count) }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var bug: Int?
        if bugless {
            guard parts[0].allSatisfy(\.isHexDigit) else { return nil }
        } else {
            guard let number = Int(parts[0]), number > 0 else { return nil }
            bug = number
        }
        guard parts.count == 2 else { return (bug, 0) }
        guard let sequence = Int(parts[1]), sequence > 0 else { return nil }
        return (bug, sequence)
    }

    /// The Gecko nodes a PR body lists in its `gecko-commits:` line, lowercased.
    public static func nodes(inBody body: String) -> [String] {
        let metadata = CommitMessage.parse(bytes: Array(body.utf8)).metadata
        guard let list = metadata["gecko-commits"] ?? metadata["gecko-commit"] else { return [] }
        return list.split { $0 == "," || $0 == " " }.map { $0.lowercased() }.filter { $0.count >= 12 && $0.allSatisfy(\.isHexDigit) }
    }

    /// Whether a pull request is one wptsync made: a sync branch, and its label or its metadata.
    public static func isSyncPullRequest(_ pr: PullRequestFacts, label: String) -> Bool {
        parse(branch: pr.branch) != nil && (pr.labels.contains(label) || !nodes(inBody: pr.body).isEmpty)
    }

    /// The changesets of the sync of `pr`, in landing order: the nodes its body lists, plus the
    /// bug's wpt changesets that no pull request lists (they were backed out or skipped since)
    /// when `takesUnlisted`; each marked backed out when a changeset in `history` backs it out.
    /// `history` is the Gecko changesets mentioning the bug (or the nodes), oldest first; `existing`
    /// the full nodes present in some Gecko repository; `listedElsewhere` nodes other PRs list.
    public static func changesets(for pr: PullRequestFacts, history: [GeckoChangeset], existing: Set<String>,
                                  inCentral: Set<String>, listedElsewhere: Set<String>, takesUnlisted: Bool,
                                  prefixes: PathPrefixes) -> (changesets: [SyncChangeset], notes: [String]) {
        let listed = nodes(inBody: pr.body)
        let bug = parse(branch: pr.branch)?.bug
        var order: [String] = []
        var backouts: [(node: String, targets: [String])] = []
        for changeset in history {
            switch changeset.kind(prefixes: prefixes) {
            case .wpt(let found):
                let unlisted = takesUnlisted && bug != nil && found == bug && !listedElsewhere.contains(changeset.node)
                if listed.contains(where: changeset.node.hasPrefix) || unlisted { order.append(changeset.node) }
            case .backout(let nodes): backouts.append((changeset.node, nodes))
            case .skip: continue
            }
        }
        var notes: [String] = []
        for node in listed where !order.contains(where: { $0.hasPrefix(node) }) {
            if let full = existing.first(where: { $0.hasPrefix(node) }) { order.append(full) } else {
                notes.append("PR #\(pr.number): changeset \(node.prefix(12)) is in no Gecko repository: left out")
            }
        }
        var seen = Set<String>()
        var changesets = order.filter { seen.insert($0).inserted }.map { node in
            SyncChangeset(node: node, inCentral: inCentral.contains(node))
        }
        // In history order, so that a backout of a backout relands.
        var known: [String: [String]] = [:]
        for backout in backouts {
            for effect in BackoutChain.effects(of: backout.targets, backouts: known) {
                for index in changesets.indices where changesets[index].node.hasPrefix(effect.prefix) {
                    changesets[index].backedOut = effect.backedOut
                }
            }
            known[backout.node] = backout.targets
        }
        return (changesets, notes)
    }

    /// The sync record for `pr` holding `changesets`; nil when its branch is not a sync branch.
    public static func record(for pr: PullRequestFacts, changesets: [SyncChangeset]) -> UpstreamSync? {
        guard let (bug, sequence) = parse(branch: pr.branch) else { return nil }
        var sync = UpstreamSync(bug: bug, sequence: sequence, changesets: changesets)
        sync.pullRequest = pr.number
        sync.pullRequestURL = pr.url
        sync.head = pr.head
        let listed = nodes(inBody: pr.body)
        sync.exportedNodes = changesets.map(\.node).filter { node in listed.contains(where: node.hasPrefix) }
        switch pr.state {
        case .merged:
            sync.status = .merged
            // Gecko backed out what the PR merged: the sync waits for a person.
            if sync.lostMergedChange { sync.settleClosed(pullRequest: .merged) }
        case .open:
            sync.status = .open
            sync.waitingFor = sync.isLanded ? nil : "landing on mozilla-central"
        case .closed:
            sync.status = .incomplete
            sync.waitingFor = "a reland"
        }
        return sync
    }
}
