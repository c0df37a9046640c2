import Store
import SyncCore

/// Processes one kind of event. Handlers must be idempotent: running the same event twice, or
/// again after a crash at any point, changes nothing more than one clean run.
public protocol EventHandler {
    /// Does the event's work; returns a one-line summary for the log. Throwing schedules a retry.
    func handle(_ event: JournalEvent) throws -> String
}
