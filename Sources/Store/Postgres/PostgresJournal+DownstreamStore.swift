import Foundation
import SyncCore

/// What wptsync has seen of upstream PRs, with the rules of `SQLiteJournal: DownstreamStore`. A
/// PR's or a check's read, merge and write hold that key's lock, so deliveries handled at once
/// by several workers are merged one after the other, as with SQLite's single writer.
extension PostgresJournal: DownstreamStore {
    public func observe(repository: String, pullRequest: PullRequestObservation, review: ReviewObservation?,
                        delivery: String, syncLabel: String, at now: Date) throws(StoreError) -> (record: SeenPullRequest, changed: Bool) {
        try transaction { db throws(StoreError) in
            let number = String(pullRequest.number)
            try Self.lock(db, "downstream_prs \(repository) \(number)")
            let json = try db.execute("SELECT record FROM downstream_prs WHERE repository = $1 AND number = $2", [repository, number]).rows.first?[0]
            let seen = try json.map { json throws(StoreError) in try decode(SeenPullRequest.self, json, what: "downstream PR \(number)") }
            let merged = SeenPullRequest.merge(seen, pullRequest: pullRequest, review: review, delivery: delivery, syncLabel: syncLabel)
            guard merged != seen else { return (merged, false) }
            try db.execute("""
                INSERT INTO downstream_prs (repository, number, head, seen_at, record) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (repository, number) DO UPDATE SET head = excluded.head, seen_at = excluded.seen_at, record = excluded.record
                """, [repository, number, merged.pullRequest.head, Self.time(now), try Self.encoded(merged, in: db)])
            return (merged, true)
        }
    }

    public func observe(check: CheckObservation) throws(StoreError) -> Bool {
        try transaction { db throws(StoreError) in
            try Self.lock(db, "commit_checks \(check.commit) \(check.key)")
            let json = try db.execute("SELECT record FROM commit_checks WHERE sha = $1 AND key = $2", [check.commit, check.key]).rows.first?[0]
            let seen = try json.map { json throws(StoreError) in try decode(CheckObservation.self, json, what: "check \(check.key) on \(check.commit)") }
            guard check.replaces(seen) else { return false }
            try db.execute("""
                INSERT INTO commit_checks (sha, key, record) VALUES ($1, $2, $3) ON CONFLICT (sha, key) DO UPDATE SET record = excluded.record
                """, [check.commit, check.key, try Self.encoded(check, in: db)])
            return true
        }
    }

    public func seenPullRequests() throws(StoreError) -> [SeenDownstream] {
        try seen("ORDER BY number DESC, repository")
    }

    public func seenPullRequest(_ number: Int) throws(StoreError) -> SeenDownstream? {
        try seen("WHERE number = $1 ORDER BY repository LIMIT 1", [String(number)]).first
    }

    public func seenPullRequests(head sha: String) throws(StoreError) -> [SeenDownstream] {
        try seen("WHERE head = $1 ORDER BY number DESC, repository", [sha])
    }

    public func seenPullRequests(repository: String, numbers: Set<Int>, seenSince since: Date) throws(StoreError) -> [SeenDownstream] {
        try seen("WHERE repository = $1 AND (number = ANY($2::bigint[]) OR seen_at >= $3) ORDER BY number DESC",
                 [repository, Self.integerArray(numbers.sorted()), Self.time(since)])
    }

    /// The PRs `clause` selects, each with the checks on its head (all read in a second statement).
    private func seen(_ clause: String, _ arguments: [String?] = []) throws(StoreError) -> [SeenDownstream] {
        try transaction { db throws(StoreError) in
            let prs = try db.execute("SELECT repository, number, seen_at, record FROM downstream_prs \(clause)", arguments).rows
                .map { row throws(StoreError) in
                    (repository: row[0] ?? "", seenAt: Self.date(row[2]) ?? Date(timeIntervalSince1970: 0),
                     record: try decode(SeenPullRequest.self, row[3] ?? "", what: "downstream PR \(row[1] ?? "")"))
                }
            guard !prs.isEmpty else { return [] }
            var checks: [String: [CheckObservation]] = [:]
            for row in try db.execute("SELECT sha, record FROM commit_checks WHERE sha = ANY($1::text[]) ORDER BY sha, key",
                                      [Self.textArray(Set(prs.map(\.record.pullRequest.head)).sorted())]).rows {
                let sha = row[0] ?? ""
                checks[sha, default: []].append(try decode(CheckObservation.self, row[1] ?? "", what: "a check on \(sha)"))
            }
            return prs.map { SeenDownstream(repository: $0.repository, record: $0.record, seenAt: $0.seenAt, checks: checks[$0.record.pullRequest.head] ?? []) }
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String, what: String) throws(StoreError) -> T {
        do { return try RecordCoding.decode(type, json) } catch {
            throw .query(path: url, reason: "\(what) cannot be read: \(error)")
        }
    }
}
