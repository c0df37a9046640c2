import Foundation

/// When `wptsync status` says that something needs a person (`[status]`, or its options).
public struct StatusThresholds: Sendable, Equatable {
    /// An event still pending, or failing and being retried, for longer than this.
    public var eventHours: Double
    /// A sync open (not changing state) for longer than this.
    public var syncHours: Double
    /// A landing open, deferred or pushed but not in mozilla-central for longer than this.
    public var landingHours: Double
    /// A pause older than this (forgotten?).
    public var pauseHours: Double
    /// A periodic task whose last success is older than this many of its intervals.
    public var periodicIntervals: Double

    public init(eventHours: Double = 1, syncHours: Double = 72, landingHours: Double = 48, pauseHours: Double = 4,
                periodicIntervals: Double = 3) {
        self.eventHours = eventHours; self.syncHours = syncHours; self.landingHours = landingHours
        self.pauseHours = pauseHours; self.periodicIntervals = periodicIntervals
    }
}

/// The last outcome of one of the worker's periodic tasks, as the store keeps it.
public struct PeriodicRun: Sendable, Equatable {
    public var name: String
    public var lastSuccess: Date?
    /// The first failure since the last success; nil while it succeeds.
    public var failingSince: Date?
    public var lastError: String?

    public init(name: String, lastSuccess: Date? = nil, failingSince: Date? = nil, lastError: String? = nil) {
        self.name = name; self.lastSuccess = lastSuccess; self.failingSince = failingSince; self.lastError = lastError
    }
}

/// What `wptsync status` looks at, read from the store: plain values, so the rules are pure.
public struct StatusFacts: Sendable {
    /// The pause in force: who, why, since when.
    public var pause: (by: String, reason: String, since: Date)?
    public var pendingEvents: Int
    /// The oldest pending event: its id and when it was received.
    public var oldestPending: (id: Int64, receivedAt: Date)?
    /// Failed events (waiting for a retry, or given up).
    public var failedEvents: [FailedEvent]
    /// Syncs and landings with when they entered their current status (nil: unknown).
    public var syncs: [(sync: UpstreamSync, since: Date?)]
    public var landings: [(landing: Landing, since: Date?)]
    /// The periodic tasks this configuration runs (name, interval in seconds), and what the store says of them.
    public var periodicTasks: [(name: String, interval: Double)]
    public var periodicRuns: [PeriodicRun]
    /// The marker `migrate-store` left (`StoreSettings.migrationMarkerPath`): what it says (nil: it
    /// cannot be read), whether its process still holds it, the store the configuration names and
    /// libpq's defaults in this process (`StoreIdentity.Defaults`).
    public var storeMigration: (migration: StoreMigration?, file: String, live: Bool, configured: String, defaults: StoreIdentity.Defaults)?
    /// The records a store migration left out that still cannot be read, each said in one line.
    public var unreadableRecords: [String] = []

    public init(pause: (by: String, reason: String, since: Date)? = nil, pendingEvents: Int = 0, oldestPending: (id: Int64, receivedAt: Date)? = nil,
                failedEvents: [FailedEvent] = [], syncs: [(sync: UpstreamSync, since: Date?)] = [],
                landings: [(landing: Landing, since: Date?)] = [], periodicTasks: [(name: String, interval: Double)] = [],
                periodicRuns: [PeriodicRun] = []) {
        self.pause = pause; self.pendingEvents = pendingEvents; self.oldestPending = oldestPending; self.failedEvents = failedEvents
        self.syncs = syncs; self.landings = landings; self.periodicTasks = periodicTasks; self.periodicRuns = periodicRuns
    }
}

/// A failed event, as the status sees it.
public struct FailedEvent: Sendable, Equatable {
    public var id: Int64
    public var repository: String
    public var receivedAt: Date
    /// When it is tried again; nil once it gave up (attempts used up, or permanent).
    public var nextAttemptAt: Date?
    public var permanent: Bool
    public var attempts: Int
    public var lastError: String?

    public init(id: Int64, repository: String, receivedAt: Date, nextAttemptAt: Date?, permanent: Bool, attempts: Int, lastError: String?) {
        self.id = id; self.repository = repository; self.receivedAt = receivedAt; self.nextAttemptAt = nextAttemptAt
        self.permanent = permanent; self.attempts = attempts; self.lastError = lastError
    }
}
