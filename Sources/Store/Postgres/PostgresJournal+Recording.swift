import Foundation
import SyncCore

/// Recording events: one round trip after connecting, since a hook waits for it.
extension PostgresJournal {
    /// Records `payloads` in one round trip (`recordStatements`): what a hook does over a slow link
    /// costs one network round trip after connecting.
    public func record(_ payloads: [EventPayload], at now: Date) throws(StoreError) -> [RecordOutcome] {
        guard !payloads.isEmpty else { return [] }
        let columns = payloads.map(PayloadCoding.journalColumns)
        // Only deliveries name the body column (schema version 4), so that a push is still recorded
        // by a store that `wptsync migrate` has not reached yet.
        let bodies = columns.contains { $0.body != nil } ? columns.map { $0.body.map(Self.bytea) ?? "" } : nil
        var parameters = [Self.textArray(payloads.map(\.kind.rawValue)), Self.textArray(payloads.map(\.repository)),
                          Self.textArray(payloads.map(\.dedupeKey)), Self.textArray(columns.map(\.json)), Self.time(now)]
        if let bodies { parameters.append(Self.textArray(bodies)) }
        let rows = try locked { () throws(StoreError) in
            try connection.executeInOneTrip([
                // Ids of one repository are taken and committed in order; the locks in one order for
                // every batch, or two batches naming the same repositories could wait for each other.
                (Self.lockRepositories, [Self.textArray(Set(payloads.map(\.repository)).sorted())]),
                (Self.insertNew(withBodies: bodies != nil), parameters),
            ])[1]
        }
        return rows.rows.map { row in
            let id = Int64(row[0] ?? "") ?? 0
            return row[1] == "t" ? .recorded(id: id) : .duplicate(id: id)
        }
    }

    /// Takes the advisory lock of each repository in `$1`, in the order given.
    static let lockRepositories = "SELECT pg_advisory_xact_lock(hashtext(r)) FROM unnest($1::text[]) AS r"

    /// Inserts the events (kinds, repositories, dedupe keys and payloads in `$1`…`$4`, received at
    /// `$5`, `withBodies`: deliveries' bodies in `$6`, bytea text or empty) whose dedupe key is new,
    /// in the order given, and announces them on `channel` if any; one row per event: its id and
    /// whether it was recorded now. New keys are found first rather than with `ON CONFLICT DO
    /// NOTHING`, which would use up an id per duplicate: ids stay consecutive, as in SQLite. A key
    /// given twice is recorded once, at its first place.
    static func insertNew(withBodies: Bool) -> String {
        let (bodies, body, column) = withBodies ? (", $6::text[]", ", body", ", NULLIF(body, '')::bytea") : ("", "", "")
        return """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]\(bodies))
                WITH ORDINALITY AS i(kind, repository, dedupe_key, payload\(body), position)
        ), fresh AS (
            SELECT DISTINCT ON (dedupe_key) * FROM input
            WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.dedupe_key = input.dedupe_key)
            ORDER BY dedupe_key, position
        ), inserted AS (
            INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at\(body))
            SELECT kind, repository, dedupe_key, payload, $5, $5\(column) FROM fresh ORDER BY position
            RETURNING id, dedupe_key
        )
        SELECT COALESCE(new.id, old.id) AS id, COALESCE(fresh.position = input.position, FALSE) AS recorded,
               (SELECT count(*) FROM (SELECT pg_notify('\(channel)', '') FROM inserted LIMIT 1) announced) AS announced
        FROM input
        LEFT JOIN fresh ON fresh.dedupe_key = input.dedupe_key
        LEFT JOIN inserted new ON new.dedupe_key = input.dedupe_key
        LEFT JOIN events old ON old.dedupe_key = input.dedupe_key
        ORDER BY input.position
        """
    }
}
