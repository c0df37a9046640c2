import Foundation

/// The operators' switches, with the rules of `SQLiteJournal: OperationsStore`. A switch set
/// twice at once is recorded once: the second finds the first (`ON CONFLICT DO NOTHING`).
extension PostgresJournal: OperationsStore {
    public func skip(_ target: SkipTarget, note: OperatorNote) throws(StoreError) -> (skip: Skip, added: Bool) {
        try transaction { db throws(StoreError) in
            let added = try db.execute("""
                INSERT INTO skips (kind, key, "by", reason, since) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """, [target.kind, target.key, note.by, note.reason, Self.time(note.since)]).affected == 1
            if added { return (Skip(target: target, note: note), true) }
            let rows = try db.execute(#"SELECT "by", reason, since FROM skips WHERE kind = $1 AND key = $2"#, [target.kind, target.key]).rows
            // Removed again since the insert found it: the caller tries again, as after a lock wait.
            guard let row = rows.first else { throw .busy(path: url) }
            return (Skip(target: target, note: Self.note(row)), false)
        }
    }

    public func unskip(_ target: SkipTarget) throws(StoreError) -> Skip? {
        try run(#"DELETE FROM skips WHERE kind = $1 AND key = $2 RETURNING "by", reason, since"#, [target.kind, target.key])
            .rows.first.map { Skip(target: target, note: Self.note($0)) }
    }

    public func skips() throws(StoreError) -> [Skip] {
        try run(#"SELECT "by", reason, since, kind, key FROM skips ORDER BY since, kind, key"#).rows.compactMap { row in
            let key = row[4] ?? ""
            let target: SkipTarget? = row[3] == "pr" ? Int(key).map(SkipTarget.pullRequest) : .changeset(key)
            return target.map { Skip(target: $0, note: Self.note(row)) }
        }
    }

    public func skippedChangesets() throws(StoreError) -> Set<String> {
        Set(try run("SELECT key FROM skips WHERE kind = 'changeset'").rows.compactMap { $0[0] })
    }

    public func skip(for target: SkipTarget) throws(StoreError) -> Skip? {
        try run(#"SELECT "by", reason, since FROM skips WHERE kind = $1 AND key = $2"#, [target.kind, target.key])
            .rows.first.map { Skip(target: target, note: Self.note($0)) }
    }

    public func pause(_ note: OperatorNote) throws(StoreError) -> (pause: OperatorNote, added: Bool) {
        try transaction { db throws(StoreError) in
            let added = try db.execute(#"INSERT INTO pauses (id, "by", reason, since) VALUES (1, $1, $2, $3) ON CONFLICT DO NOTHING"#,
                                       [note.by, note.reason, Self.time(note.since)]).affected == 1
            if added { return (note, true) }
            guard let row = try db.execute(#"SELECT "by", reason, since FROM pauses WHERE id = 1"#).rows.first else { throw .busy(path: url) }
            return (Self.note(row), false)
        }
    }

    public func resume() throws(StoreError) -> OperatorNote? {
        try run(#"DELETE FROM pauses WHERE id = 1 RETURNING "by", reason, since"#).rows.first.map(Self.note)
    }

    public func currentPause() throws(StoreError) -> OperatorNote? {
        try run(#"SELECT "by", reason, since FROM pauses WHERE id = 1"#).rows.first.map(Self.note)
    }

    /// The note in a row whose first columns are `by`, `reason`, `since`.
    private static func note(_ row: [String?]) -> OperatorNote {
        OperatorNote(by: row[0] ?? "", reason: row[1] ?? "", since: date(row[2]) ?? Date(timeIntervalSince1970: 0))
    }
}
