import Foundation
import GRDB

/// Settling claimed events besides `complete` and `fail`, and dropping events by hand.
extension SQLiteJournal {
    public func failPermanently(id: Int64, worker: String, error: String, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE events SET state = 'failed', permanent = 1, last_error = ?, next_attempt_at = NULL, finished_at = ?,
                       lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [error, now.timeIntervalSince1970, id, worker])
        }
    }

    public func renewLease(id: Int64, worker: String, until: Date) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE events SET lease_until = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
                           arguments: [until.timeIntervalSince1970, id, worker])
            return db.changesCount == 1
        }
    }

    public func release(id: Int64, worker: String, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE events SET state = 'pending', attempts = MAX(attempts - 1, 0), next_attempt_at = ?,
                       lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [now.timeIntervalSince1970, id, worker])
        }
    }

    public func drop(id: Int64, note: OperatorNote) throws(StoreError) -> DropOutcome {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]) else {
                throw StoreError.noSuchEvent(id: id)
            }
            let event = try Self.event(from: row)
            guard let dropped = try event.dropped(with: note) else { return .alreadyDropped(event) }
            try db.execute(sql: """
                UPDATE events SET state = 'dropped', next_attempt_at = NULL, finished_at = ?,
                       dropped_by = ?, dropped_at = ?, drop_reason = ?
                WHERE id = ?
                """, arguments: [note.since.timeIntervalSince1970, note.by, note.since.timeIntervalSince1970, note.reason, id])
            return .dropped(dropped)
        }
    }
}
