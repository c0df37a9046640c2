import Foundation

/// Where an upstream sync stands.
public enum SyncStatus: String, Sendable, Codable, CaseIterable {
    /// Changes to upstream: a branch and PR exist or are being made.
    case open
    /// Every changeset was backed out (or none has wpt content): the PR, if any, is closed.
    case incomplete
    /// The changes did not apply to upstream; a person must fix the branch (`wptsync continue upstream`).
    case needsFixup = "needs-fixup"
    /// The PR was merged upstream. A later change for the same bug starts a new sync.
    case merged
    /// Every changeset was backed out before a PR was opened: nothing went upstream. A reland
    /// (the change pushed again, or its backout backed out) opens one.
    case backedOutBeforePullRequest = "backed-out-before-pr"
    /// The PR was merged upstream, then Gecko backed out changes it held: upstream master still has
    /// them. wptsync never reverts upstream work by itself; a person decides
    /// (`wptsync revert upstream`). A reland in Gecko makes it `merged` again (closing an open revert PR).
    case backedOutAfterMerge = "backed-out-after-merge"
    /// The revert PR of a `backed-out-after-merge` sync was merged: upstream no longer has the
    /// change. Final: a reland in Gecko starts a new sync (a new PR).
    case reverted

    /// Whether the sync's PR was merged upstream: the sync takes no more changesets.
    public var isMergedUpstream: Bool { self == .merged || self == .backedOutAfterMerge || self == .reverted }
}

/// One Gecko changeset of a sync.
public struct SyncChangeset: Sendable, Equatable, Codable {
    public var node: String
    public var backedOut: Bool
    public var inCentral: Bool
    /// An operator said not to upstream it (`wptsync skip changeset`).
    public var skipped: Bool

    public init(node: String, backedOut: Bool = false, inCentral: Bool = false, skipped: Bool = false) {
        self.node = node; self.backedOut = backedOut; self.inCentral = inCentral; self.skipped = skipped
    }

    /// Still to upstream: neither backed out nor skipped.
    public var isActive: Bool { !backedOut && !skipped }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        node = try values.decode(String.self, forKey: .node)
        backedOut = try values.decode(Bool.self, forKey: .backedOut)
        inCentral = try values.decode(Bool.self, forKey: .inCentral)
        // Records written before skipping existed have no such key.
        skipped = try values.decodeIfPresent(Bool.self, forKey: .skipped) ?? false
    }
}

/// Changes that did not apply to upstream.
public struct SyncConflict: Sendable, Equatable, Codable {
    public var node: String
    public var files: [String]

    public init(node: String, files: [String]) { self.node = node; self.files = files }
}

/// The changes of one bug (or one bug-less changeset) on their way upstream as one PR.
public struct UpstreamSync: Sendable, Equatable, Codable {
    /// Assigned by the store; 0 until stored.
    public var id: Int64
    /// Bumped by the store on every save; a save based on an older version is refused.
    public var version: Int = 0
    public var bug: Int?
    /// 0 for a bug's first sync, then 1, 2… for syncs after earlier ones merged, or when someone
    /// else's PR holds the branch name (`BranchClaim`).
    public var sequence: Int
    public var changesets: [SyncChangeset]
    public var status: SyncStatus
    public var pullRequest: Int?
    public var pullRequestURL: String?
    /// The upstream commit the branch was built on, and the nodes it was built from.
    public var base: String?
    public var exportedNodes: [String]
    /// The branch head last pushed (or a person's commits on it, adopted).
    public var head: String?
    /// The upstream revision Gecko was synced to, when the branch was built on it instead of
    /// master because the changes conflict with master (`on_conflict = "open-from-sync-point"`).
    public var syncPoint: String?
    public var conflict: SyncConflict?
    public var failingChecks: [String]
    /// What the sync waits for, for people: e.g. "landing on mozilla-central".
    public var waitingFor: String?
    public var lastError: String?
    /// The PR reverting the sync upstream (`backed-out-after-merge`), once a person opened it.
    public var revertPullRequest: Int?
    /// When the revert PR was opened (or found): `wptsync status` counts its wait from then.
    public var revertOpenedAt: Date?

    public init(id: Int64 = 0, bug: Int?, sequence: Int = 0, changesets: [SyncChangeset] = [], status: SyncStatus = .open) {
        self.id = id; self.bug = bug; self.sequence = sequence; self.changesets = changesets; self.status = status
        exportedNodes = []; failingChecks = []
    }

    /// The upstream branch: `gecko/<bug>`, or `gecko/changeset-<node>` without a bug; `-<sequence>`
    /// follows from sequence 1 on (a later sync of the bug, or a name someone else's PR holds).
    public var branch: String {
        let name = bug.map { "gecko/\($0)" } ?? "gecko/changeset-\(changesets.first?.node.prefix(12) ?? "")"
        return sequence == 0 ? name : "\(name)-\(sequence)"
    }

    /// The nodes still to upstream: not backed out or skipped, in landing order.
    public var activeNodes: [String] { changesets.filter(\.isActive).map(\.node) }

    /// Whether every changeset still to upstream has reached mozilla-central.
    public var isLanded: Bool {
        let active = changesets.filter(\.isActive)
        return !active.isEmpty && active.allSatisfy(\.inCentral)
    }

    /// Whether Gecko backed out a changeset the sync's merged PR held (`exportedNodes`; all of its
    /// changesets when none is recorded): upstream master has what Gecko no longer has.
    public var lostMergedChange: Bool {
        let merged = exportedNodes.isEmpty ? Set(changesets.map(\.node)) : Set(exportedNodes)
        return changesets.contains { $0.backedOut && merged.contains($0.node) }
    }

    /// What the sync waits for, as shown: `waitingFor`, or for a `backed-out-after-merge` sync
    /// without a revert PR the command a person runs (it names the id, known once stored).
    public var waiting: String? {
        waitingFor ?? (status == .backedOutAfterMerge && revertPullRequest == nil ? Self.revertWaiting(id: id) : nil)
    }

    /// Whether the sync holds a changeset whose node starts with `prefix`.
    public func contains(nodePrefix prefix: String) -> Bool {
        changesets.contains { $0.node.hasPrefix(prefix) }
    }
}
