import Foundation
import SyncCore

/// Landing records and the upstream commit → PR map, with the rules of `SQLiteJournal: LandingStore`.
extension PostgresJournal: LandingStore {
    public func save(_ landing: Landing) throws(StoreError) -> Landing {
        try transaction { db throws(StoreError) in
            let saved = try Self.saveVersioned(db, landing, table: "landings", columns: ["status": landing.status.rawValue])
            try Self.indexLanding(db, saved)
            return saved
        }
    }

    public func landing(id: Int64) throws(StoreError) -> Landing? {
        try read { db throws(StoreError) in try Self.record(db, table: "landings", id: id) }
    }

    public func landings(statuses: [LandingStatus]?, limit: Int?) throws(StoreError) -> [Landing] {
        try read { db throws(StoreError) in
            try Self.records(db, table: "landings", """
                SELECT id, record FROM landings WHERE $1::text[] IS NULL OR status = ANY($1::text[]) ORDER BY id DESC LIMIT $2::bigint
                """, [statuses.map { Self.textArray($0.map(\.rawValue)) }, limit.map(String.init)])
        }
    }

    public func commitMapping(sha: String) throws(StoreError) -> CommitMapping? {
        try run("SELECT sha, pr, source, title FROM upstream_commit_prs WHERE sha = $1", [sha]).rows.first.map { row in
            CommitMapping(sha: row[0] ?? sha, pullRequest: row[1].flatMap { Int($0) }, source: row[2] ?? "", title: row[3])
        }
    }

    public func setCommitMapping(_ mapping: CommitMapping) throws(StoreError) {
        try run("""
            INSERT INTO upstream_commit_prs (sha, pr, source, title) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sha) DO UPDATE SET pr = excluded.pr, source = excluded.source, title = excluded.title
            WHERE upstream_commit_prs.source <> 'manual' OR excluded.source = 'manual'
            """, [mapping.sha, mapping.pullRequest.map(String.init), mapping.source, mapping.title])
    }
}
