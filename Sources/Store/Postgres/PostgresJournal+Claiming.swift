import Foundation

/// Claiming and dropping, with the rules of `SQLiteJournal+Claiming`.
extension PostgresJournal {
    /// Each repository's oldest unfinished event (`SQLiteJournal.unfinished`: the repositories
    /// walked in `events_unfinished`, a seek each), the oldest of them that is due or whose lease
    /// expired, locked (a row another worker is claiming is skipped) and claimed in one statement:
    /// one round trip, committed on its own. An expired one whose worker stopped during its last
    /// attempt (`$3`) is failed instead, and returned so: the caller claims again.
    static let claimStatement = """
        WITH RECURSIVE repositories(name) AS (
            (SELECT repository FROM events WHERE \(SQLiteJournal.unfinished) ORDER BY repository LIMIT 1)
            UNION ALL
            SELECT (SELECT repository FROM events WHERE repository > name AND \(SQLiteJournal.unfinished) ORDER BY repository LIMIT 1)
            FROM repositories WHERE name IS NOT NULL),
        head AS MATERIALIZED (
            SELECT e.id, e.state = 'running' AND e.attempts >= $3 AS gave_up
            FROM repositories r
            CROSS JOIN LATERAL (SELECT id FROM events WHERE repository = r.name AND \(SQLiteJournal.unfinished) ORDER BY id LIMIT 1) first
            JOIN events e ON e.id = first.id
            WHERE (e.state IN ('pending', 'failed') AND e.next_attempt_at <= $1) OR (e.state = 'running' AND e.lease_until < $2)
            ORDER BY e.id LIMIT 1
            FOR UPDATE OF e SKIP LOCKED)
        UPDATE events e SET
            state = CASE WHEN h.gave_up THEN 'failed' ELSE 'running' END,
            attempts = CASE WHEN h.gave_up THEN e.attempts ELSE e.attempts + 1 END,
            lease_owner = CASE WHEN h.gave_up THEN NULL ELSE $4 END,
            lease_until = CASE WHEN h.gave_up THEN NULL ELSE $5::double precision END,
            next_attempt_at = CASE WHEN h.gave_up THEN NULL ELSE e.next_attempt_at END,
            last_error = CASE WHEN h.gave_up THEN 'the worker stopped during attempt ' || e.attempts ELSE e.last_error END
        FROM head h WHERE e.id = h.id
        RETURNING e.*
        """

    public func claimNext(worker: String, now: Date, dueBy: Date, leaseSeconds: Double, maxAttempts: Int) throws(StoreError) -> JournalEvent? {
        let t = now.timeIntervalSince1970
        let arguments = [String(min(t, dueBy.timeIntervalSince1970)), String(t), String(maxAttempts), worker, String(t + leaseSeconds)]
        while true {
            let rows = try run(Self.claimStatement, arguments)
            guard !rows.rows.isEmpty else { return nil }
            let event = try Self.event(from: rows, row: 0)
            if event.state == .running { return event }
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
