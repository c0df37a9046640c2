import Foundation
import GRDB

/// Claiming: each repository's oldest unfinished event, the oldest of those that is due.
extension SQLiteJournal {
    /// An event that holds back the later events of its repository: pending, running, or failed with
    /// a retry planned. One that gave up (failed for good or out of retries) or was dropped does not.
    static let unfinished = "(state IN ('pending', 'running') OR (state = 'failed' AND next_attempt_at IS NOT NULL))"

    /// Each repository's oldest unfinished event (the repositories walked in `events_unfinished`,
    /// a seek each), the oldest of them that is due or whose lease expired. `heads` is
    /// materialized: inlined, and with the statistics of a journal `ANALYZE` has seen, SQLite joined
    /// it through a Bloom filter built by scanning every event (13 ms a claim at 100,000 finished).
    static let claimQuery = """
        WITH RECURSIVE repositories(name) AS (
            SELECT '' UNION ALL
            SELECT (SELECT repository FROM events INDEXED BY events_unfinished
                    WHERE repository > name AND \(unfinished) ORDER BY repository LIMIT 1)
            FROM repositories WHERE name IS NOT NULL),
        heads(id) AS MATERIALIZED (
            SELECT (SELECT id FROM events INDEXED BY events_unfinished
                    WHERE repository = name AND \(unfinished) ORDER BY id LIMIT 1)
            FROM repositories WHERE name IS NOT NULL AND name != '')
        SELECT e.* FROM heads CROSS JOIN events e ON e.id = heads.id
        WHERE (e.state IN ('pending', 'failed') AND e.next_attempt_at <= :due) OR (e.state = 'running' AND e.lease_until < :now)
        ORDER BY e.id LIMIT 1
        """

    public func claimNext(worker: String, now: Date, dueBy: Date, leaseSeconds: Double, maxAttempts: Int) throws(StoreError) -> JournalEvent? {
        let t = now.timeIntervalSince1970
        return try write { db -> JournalEvent? in
            while true {
                // Only each repository's oldest unfinished event may run: one seek per repository in
                // the index of unfinished events, however many are pending or done.
                guard let row = try Row.fetchOne(db, sql: Self.claimQuery,
                                                 arguments: ["now": t, "due": min(t, dueBy.timeIntervalSince1970)]) else { return nil }
                let event = try Self.event(from: row)
                if event.state == .running && event.attempts >= maxAttempts {
                    try db.execute(sql: """
                        UPDATE events SET state = 'failed', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
                               last_error = ? WHERE id = ?
                        """, arguments: ["the worker stopped during attempt \(event.attempts)", event.id])
                    continue
                }
                try db.execute(sql: """
                    UPDATE events SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?
                    WHERE id = ?
                    """, arguments: [worker, t + leaseSeconds, event.id])
                return event.claimed(by: worker, until: Date(timeIntervalSince1970: t + leaseSeconds))
            }
        }
    }
}
