import Foundation

/// Claiming and dropping, with the rules of `SQLiteJournal+Claiming`.
extension PostgresJournal {
    /// Each repository's oldest unfinished event (`SQLiteJournal.unfinished`), the oldest of them
    /// that is due or whose lease expired; a row another worker is claiming is skipped.
    static let claimQuery = """
        SELECT e.* FROM events e
        WHERE e.id IN (SELECT DISTINCT ON (repository) id FROM events WHERE \(SQLiteJournal.unfinished) ORDER BY repository, id)
          AND ((e.state IN ('pending', 'failed') AND e.next_attempt_at <= $1) OR (e.state = 'running' AND e.lease_until < $2))
        ORDER BY e.id LIMIT 1
        FOR UPDATE SKIP LOCKED
        """

    public func claimNext(worker: String, now: Date, dueBy: Date, leaseSeconds: Double, maxAttempts: Int) throws(StoreError) -> JournalEvent? {
        let t = now.timeIntervalSince1970
        return try transaction { db throws(StoreError) -> JournalEvent? in
            while true {
                let rows = try db.execute(Self.claimQuery, [String(min(t, dueBy.timeIntervalSince1970)), String(t)])
                guard !rows.rows.isEmpty else { return nil }
                let event = try Self.event(from: rows, row: 0)
                if event.state == .running && event.attempts >= maxAttempts {
                    try db.execute("""
                        UPDATE events SET state = 'failed', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
                               last_error = $1 WHERE id = $2
                        """, ["the worker stopped during attempt \(event.attempts)", String(event.id)])
                    continue
                }
                try db.execute("UPDATE events SET state = 'running', attempts = attempts + 1, lease_owner = $1, lease_until = $2 WHERE id = $3",
                               [worker, String(t + leaseSeconds), String(event.id)])
                return event.claimed(by: worker, until: Date(timeIntervalSince1970: t + leaseSeconds))
            }
        }
    }

    public func drop(id: Int64, note: OperatorNote) throws(StoreError) -> DropOutcome {
        try transaction { db throws(StoreError) in
            let rows = try db.execute("SELECT * FROM events WHERE id = $1 FOR UPDATE", [String(id)])
            guard !rows.rows.isEmpty else { throw .noSuchEvent(id: id) }
            let event = try Self.event(from: rows, row: 0)
            guard let dropped = try event.dropped(with: note) else { return .alreadyDropped(event) }
            try db.execute("""
                UPDATE events SET state = 'dropped', next_attempt_at = NULL, finished_at = $1,
                       dropped_by = $2, dropped_at = $1, drop_reason = $3
                WHERE id = $4
                """, [Self.time(note.since), note.by, note.reason, String(id)])
            return .dropped(dropped)
        }
    }
}
