import Foundation

/// One thing `wptsync status` shows: what it is, since when, and the command that moves it on.
public struct StatusItem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case pause, pendingEvents = "pending-events", event, sync, landing, periodic, storeMigration = "store-migration"
        case unreadableRecord = "unreadable-record"
    }
    public var kind: Kind
    /// The event, sync or landing id, or the periodic task's name; nil for the pause and the pending events.
    public var id: String?
    public var summary: String
    /// Since when it is in this state (the pause, the oldest pending event, the sync's status, …).
    public var since: Date?
    /// How `since` reads: "since", or "last succeeded" for a periodic task that succeeds.
    public var sinceLabel = "since"
    public var needsPerson: Bool
    /// The command that moves it on, or where to look.
    public var command: String
}

/// The on-call view of the service: what needs a person now, and what is only worth knowing.
public struct ServiceStatus: Sendable, Equatable {
    public var items: [StatusItem]
    public var now: Date

    /// Whether anything needs a person (`wptsync status` exits 1).
    public var needsPerson: Bool { items.contains(where: \.needsPerson) }

    /// Decides from `facts` what needs a person at `now` under `thresholds`. While the service is
    /// paused, waiting events and periodic tasks that did not run are shown but wait for the resume.
    public static func summarize(_ facts: StatusFacts, thresholds: StatusThresholds, now: Date) -> ServiceStatus {
        let paused = facts.pause != nil
        var items: [StatusItem] = []
        func older(_ date: Date?, hours: Double) -> Bool { date.map { now.timeIntervalSince($0) > hours * 3600 } ?? false }

        if let pause = facts.pause {
            items.append(StatusItem(kind: .pause, summary: "paused by \(pause.by): \(pause.reason)", since: pause.since,
                                    needsPerson: older(pause.since, hours: thresholds.pauseHours),
                                    command: "wptsync resume (once the reason is gone)"))
        }
        if let marker = facts.storeMigration,
           let item = StoreMigration.statusItem(marker.migration, file: marker.file, live: marker.live, configured: marker.configured, defaults: marker.defaults) {
            items.append(item)
        }
        for record in facts.unreadableRecords {
            items.append(StatusItem(kind: .unreadableRecord, summary: record, needsPerson: true,
                                    command: "repair the row's record or delete the row; `wptsync migrate` names what is left"))
        }
        if let oldest = facts.oldestPending {
            items.append(StatusItem(kind: .pendingEvents, id: String(oldest.id),
                                    summary: "\(facts.pendingEvents) event(s) pending, the oldest #\(oldest.id)",
                                    since: oldest.receivedAt, needsPerson: !paused && older(oldest.receivedAt, hours: thresholds.eventHours),
                                    command: "check that `wptsync worker` runs (its log says what it waits for); `wptsync process` runs one pass"))
        }
        for event in facts.failedEvents {
            let gaveUp = event.nextAttemptAt == nil
            let why = event.permanent ? "failed for good" : gaveUp ? "failed \(event.attempts) time(s), no retry left" : "failing (\(event.attempts) attempt(s)), retried automatically"
            items.append(StatusItem(kind: .event, id: String(event.id),
                                    summary: "event #\(event.id) \(event.repository) \(why)" + (event.lastError.map { ": \($0)" } ?? ""),
                                    since: event.receivedAt, needsPerson: gaveUp || older(event.receivedAt, hours: thresholds.eventHours),
                                    command: "wptsync retry \(event.id) (once the cause is fixed), or wptsync events drop \(event.id) --reason …"))
        }
        for (sync, since) in facts.syncs {
            let waiting = (sync.waiting.map { "; waiting for \($0)" } ?? "") + (sync.lastError.map { "; last error: \($0)" } ?? "")
            if sync.status == .needsFixup {
                let conflict = sync.conflict.map { " (conflict in \($0.node.prefix(12)): \($0.files.joined(separator: ", ")))" } ?? ""
                items.append(StatusItem(kind: .sync, id: String(sync.id), summary: "sync \(sync.id) \(sync.branch) needs-fixup\(conflict)\(waiting)",
                                        since: since, needsPerson: true,
                                        command: "fix \(sync.branch) upstream, then wptsync continue upstream \(sync.id); or wptsync skip changeset NODE --reason …"))
            } else if sync.status == .backedOutAfterMerge {
                let revert = sync.revertPullRequest
                // With a revert PR, the wait counts from its opening.
                let since = revert == nil ? since : sync.revertOpenedAt ?? since
                items.append(StatusItem(kind: .sync, id: String(sync.id),
                                        summary: "sync \(sync.id) \(sync.branch) merged upstream, then backed out in Gecko" + waiting,
                                        since: since, needsPerson: revert == nil || older(since, hours: thresholds.syncHours),
                                        command: revert.map { "review and merge the revert PR #\($0) upstream, or reland the change in Gecko" }
                                            ?? "wptsync revert upstream \(sync.id) (opens the revert PR), or reland the change in Gecko"))
            } else if sync.status == .open, older(since, hours: thresholds.syncHours) {
                items.append(StatusItem(kind: .sync, id: String(sync.id),
                                        summary: "sync \(sync.id) \(sync.branch) open" + (sync.pullRequest.map { " PR #\($0)" } ?? "") + waiting,
                                        since: since, needsPerson: true, command: "wptsync retry --sync \(sync.id)"))
            }
        }
        let newestLanding = facts.landings.map(\.landing.id).max()
        for (landing, since) in facts.landings {
            let detail = "landing \(landing.id) \(landing.status.rawValue)" + (landing.waitingFor.map { "; waiting for \($0)" } ?? "")
                + (landing.lastError.map { "; last error: \($0)" } ?? "")
            switch landing.status {
            case .needsFixup where landing.conflict == nil:
                items.append(StatusItem(kind: .landing, id: String(landing.id), summary: detail, since: since, needsPerson: true,
                                        command: "once the cause is settled, wptsync continue landing (pushes it again)"))
            case .needsFixup:
                items.append(StatusItem(kind: .landing, id: String(landing.id), summary: detail, since: since, needsPerson: true,
                                        command: "fix Gecko, then wptsync continue landing; or wptsync continue landing --take upstream|gecko; or wptsync skip pr N --reason …"))
            case .backedOut where landing.id == newestLanding:
                items.append(StatusItem(kind: .landing, id: String(landing.id), summary: detail + "; nothing is imported until a person decides",
                                        since: since, needsPerson: true, command: "wptsync continue landing"))
            case .open where older(since, hours: thresholds.landingHours), .deferred where older(since, hours: thresholds.landingHours):
                items.append(StatusItem(kind: .landing, id: String(landing.id), summary: detail, since: since, needsPerson: true,
                                        command: "wptsync continue landing (tries it now)"))
            case .pushed where older(since, hours: thresholds.landingHours):
                items.append(StatusItem(kind: .landing, id: String(landing.id), summary: detail + "; not seen in mozilla-central",
                                        since: since, needsPerson: true, command: "wptsync landings (was it backed out or never merged?)"))
            default: break
            }
        }
        let runs = Dictionary(facts.periodicRuns.map { ($0.name, $0) }) { first, _ in first }
        for (name, interval) in facts.periodicTasks {
            let run = runs[name] ?? PeriodicRun(name: name)
            // A worker's pass can be held up by events for as long as an event may wait.
            let limit = max(interval * thresholds.periodicIntervals / 3600, thresholds.eventHours)
            let failing = older(run.failingSince, hours: limit)
            let stale = run.lastSuccess != nil && older(run.lastSuccess, hours: limit)
            let state = run.failingSince.map { _ in ": failing" + (run.lastError.map { " (\($0))" } ?? "") }
                ?? (run.lastSuccess == nil ? ": has not run yet" : "")
            items.append(StatusItem(kind: .periodic, id: name, summary: "periodic task \(name) (every \(ConfigReport.seconds(interval)))\(state)",
                                    since: run.failingSince ?? run.lastSuccess, sinceLabel: run.failingSince == nil ? "last succeeded" : "since",
                                    needsPerson: !paused && (failing || stale),
                                    command: failing ? "the worker's log (`periodic task failed`)" : "check that `wptsync worker` runs"))
        }
        return ServiceStatus(items: items, now: now)
    }
}
