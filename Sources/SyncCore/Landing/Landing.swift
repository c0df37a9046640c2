/// Where a landing (one import of upstream changes into Gecko) stands.
public enum LandingStatus: String, Sendable, Codable, CaseIterable {
    /// Being built or pushed; retried on the next event or periodic pass.
    case open
    /// The tree is closed (or the push failed for a passing reason: unreachable, a lock): retried later, as it is.
    case deferred
    /// An upstream change did not apply, the integration repository refused the push (a hook), or a
    /// Lando job stopped; a person fixes it, then `wptsync continue landing`.
    case needsFixup = "needs-fixup"
    /// Pushed to the integration repository; waiting to reach mozilla-central.
    case pushed
    /// Its final commit reached mozilla-central.
    case landed
    /// Its commits were backed out of Gecko; the next landing imports them again.
    case backedOut = "backed-out"
    /// Never pushed, and no longer needed: Gecko already matched upstream when it was tried again.
    case superseded

    /// Whether the landing still has work to do before it is pushed (only one may be).
    public var isUnpushed: Bool { self == .open || self == .deferred || self == .needsFixup }
}

/// How a person settled a file that did not merge (`wptsync continue landing --take …`).
public enum ConflictResolution: String, Sendable, Codable, CaseIterable {
    /// Take upstream's version: Gecko's own change to the file is dropped.
    case upstream
    /// Keep Gecko's version: upstream's change to the file is not imported.
    case gecko
}

/// An upstream change that did not apply to Gecko.
public struct LandingConflict: Sendable, Equatable, Codable {
    public var pullRequest: Int?
    public var commit: String
    /// Paths relative to the wpt root.
    public var files: [String]

    public init(pullRequest: Int?, commit: String, files: [String]) {
        self.pullRequest = pullRequest; self.commit = commit; self.files = files
    }
}

/// One import of upstream wpt into Gecko: the units from the sync point to `upstreamHead`, built
/// as one Gecko commit per applied unit plus a final landing commit.
public struct Landing: Sendable, Equatable, Codable {
    /// Assigned by the store; 0 until stored.
    public var id: Int64
    /// Bumped by the store on every save; a save based on an older version is refused.
    public var version: Int = 0
    public var status: LandingStatus
    /// The upstream commit Gecko matched before (the sync point) and the one it is brought to.
    public var upstreamBase: String
    public var upstreamHead: String
    public var units: [ImportUnit]
    /// The upstream commit the sync-point file names after this landing, when units before
    /// `upstreamHead` are held back (nil: `upstreamHead`), and the units imported past it.
    public var syncPoint: String?
    public var landedBeyond: [String]?
    /// The integration repository's revision the commits were last built on.
    public var geckoBase: String?
    /// The Gecko commits built, in order; the last is the landing commit.
    public var nodes: [String]
    public var conflict: LandingConflict?
    /// How people settled conflicting files (paths relative to the wpt root); kept for retries.
    public var resolutions: [String: ConflictResolution]?
    /// Lost push races and deferrals so far, for people.
    public var attempts: Int
    /// What the landing waits for, for people: e.g. "the tree to reopen (closed: …)".
    public var waitingFor: String?
    public var lastError: String?
    /// The Lando job the landing was submitted as, stored as soon as Lando answers: it is followed, never submitted again.
    public var landoJob: Int?
    /// When the landing was last submitted to Lando (seconds since the epoch), recorded before the
    /// submission: after a crash or a lost answer, the branch is checked before submitting again.
    public var landoSubmittedAt: Int64?
    /// The PRs' metadata the landing carries, recorded before it is pushed (nil: a landing made
    /// before landings recorded it).
    public var metadata: [LandedMetadata]?

    public init(id: Int64 = 0, status: LandingStatus = .open, upstreamBase: String, upstreamHead: String, units: [ImportUnit]) {
        self.id = id; self.status = status; self.upstreamBase = upstreamBase; self.upstreamHead = upstreamHead
        self.units = units; nodes = []; attempts = 0
    }

    /// The landing commit, once built.
    public var landingNode: String? { nodes.last }

    /// The metadata lines that mark this landing's commit, whoever wrote it (Lando rewrites commits).
    public var landingCommitMarkers: [String] { LandingText.landingCommitMarkers(head: upstreamHead) }
}
