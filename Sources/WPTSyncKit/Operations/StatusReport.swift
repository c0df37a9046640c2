import Foundation
import Store
import SyncCore

extension Application {
    /// What `wptsync status` shows, read from the journal (reading only) and judged by
    /// `ServiceStatus.summarize` under `thresholds`.
    public func status(thresholds: StatusThresholds, now: Date = Date()) throws(StoreError) -> ServiceStatus {
        let pending = try journal.pendingSummary()
        let failed = try events.events(state: .failed, limit: StatusFormat.maxFailedEvents).map {
            FailedEvent(id: $0.id, repository: $0.repository, receivedAt: $0.receivedAt, nextAttemptAt: $0.nextAttemptAt,
                        permanent: $0.permanent, attempts: $0.attempts, lastError: $0.lastError)
        }
        var facts = StatusFacts(
            pause: try journal.currentPause().map { ($0.by, $0.reason, $0.since) },
            pendingEvents: pending.count, oldestPending: pending.oldest, failedEvents: failed,
            syncs: try journal.syncsWithStatusTime([.open, .needsFixup, .backedOutAfterMerge]),
            landings: try journal.landingsWithStatusTime(LandingStatus.allCases.filter { $0 != .landed && $0 != .superseded }),
            periodicTasks: PeriodicTaskNames.configured(config), periodicRuns: try journal.periodicRuns())
        facts.storeMigration = config.store.migrationFacts
        facts.unreadableRecords = try journal.unreadableRecords().map(\.description)
        return ServiceStatus.summarize(facts, thresholds: thresholds, now: now)
    }
}

/// How `wptsync status` prints: one screen for people, one JSON object for monitoring.
public enum StatusFormat {
    /// Failed events read at most (newest first); more are counted by `wptsync events --state failed`.
    public static let maxFailedEvents = 200

    /// The screen: the verdict, then what needs a person, then the rest (control characters escaped).
    public static func text(_ status: ServiceStatus) -> String {
        let needing = status.items.filter(\.needsPerson)
        var lines = ["wptsync status at \(iso(status.now)): "
                     + (needing.isEmpty ? "nothing needs a person" : "\(needing.count) thing(s) need a person")]
        if !status.items.contains(where: { $0.kind == .pause }) { lines.append("not paused") }
        if !status.items.contains(where: { $0.kind == .pendingEvents }) { lines.append("no event pending") }
        for (title, items) in [("needs a person:", needing), ("for information:", status.items.filter { !$0.needsPerson })] where !items.isEmpty {
            lines.append(title)
            for item in items {
                let since = item.since.map { " \(item.sinceLabel) \(iso($0)) (\(age(status.now.timeIntervalSince($0))) ago)" } ?? ""
                lines.append("  \(item.summary)\(since)")
                if item.needsPerson { lines.append("    → \(item.command)") }
            }
        }
        return lines.map(ControlCharacters.escaped).joined(separator: "\n")
    }

    /// One JSON object (README: "wptsync status --json").
    public static func json(_ status: ServiceStatus, thresholds: StatusThresholds) -> String {
        let items: [[String: Any]] = status.items.map { item in
            var object: [String: Any] = ["kind": item.kind.rawValue, "summary": item.summary, "needs_person": item.needsPerson,
                                         "command": item.command]
            if let id = item.id { object["id"] = id }
            if let since = item.since { object["since"] = iso(since); object["age_seconds"] = Int(status.now.timeIntervalSince(since)) }
            return object
        }
        let pending = status.items.first { $0.kind == .pendingEvents }
        let pause = status.items.first { $0.kind == .pause }
        let object: [String: Any] = [
            "generated_at": iso(status.now), "needs_person": status.needsPerson, "paused": pause != nil,
            "oldest_pending_age_seconds": pending?.since.map { Int(status.now.timeIntervalSince($0)) } ?? NSNull(),
            "thresholds": ["event_hours": thresholds.eventHours, "sync_hours": thresholds.syncHours, "landing_hours": thresholds.landingHours,
                           "pause_hours": thresholds.pauseHours, "periodic_intervals": thresholds.periodicIntervals],
            "items": items,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// `3d 4h`, `2h 5m`, `4m 10s`, `12s`.
    static func age(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (days, hours, minutes, rest) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return minutes > 0 ? "\(minutes)m \(rest)s" : "\(rest)s"
    }
}

extension StoreSettings {
    /// What the marker of `migrate-store` says, if there is one (`StatusFacts.storeMigration`).
    var migrationFacts: (migration: StoreMigration?, file: String, live: Bool, configured: String, defaults: StoreIdentity.Defaults)? {
        let marker = StoreMigrationMarker(path: migrationMarkerPath)
        guard marker.exists else { return nil }
        return (marker.read(), marker.path, marker.isHeld, name, StoreMigrationMarker.identityDefaults)
    }
}
