import Store
import SyncCore
import Testing
import TestSupport

@Suite("Upstream sync records (SQLite; PostgreSQL when installed)")
struct SyncStoreTests {
    let dir = TempDir("syncs")

    @Test(arguments: JournalBackend.available) func savesFindsByBugNodePrefixAndStatus(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let a = try store.save(UpstreamSync(bug: 5, changesets: [SyncChangeset(node: String(repeating: "a", count: 40))]))
        var b = try store.save(UpstreamSync(bug: 6, changesets: [SyncChangeset(node: String(repeating: "b", count: 40))]))
        #expect(a.id == 1 && b.id == 2)
        b.status = .merged
        b.pullRequest = 12
        b = try store.save(b)
        #expect(try store.sync(id: 2) == b)
        #expect(try store.syncs(relevantToBugs: [], nodePrefixes: []).isEmpty)
        #expect(try store.syncs(relevantToBugs: [6], nodePrefixes: []).map(\.id) == [2])
        #expect(try store.syncs(relevantToBugs: [5], nodePrefixes: ["bbbbbbbbbbbb"]).map(\.id) == [1, 2])
        #expect(try store.syncs(relevantToBugs: [], nodePrefixes: ["cccccccccccc", "'; DROP TABLE x; --"]).isEmpty)
        #expect(try store.syncs(bug: nil, status: .merged).map(\.id) == [2])
        #expect(try store.syncs(bug: 5, status: nil).map(\.id) == [1])
        // A save based on an old version is refused; so is a second sync for the same bug and sequence.
        var stale = a
        stale.status = .incomplete
        _ = try store.save(a)
        #expect { try store.save(stale) } throws: { error in
            if case StoreError.staleRecord(id: 1) = error { true } else { false }
        }
        #expect(throws: StoreError.self) { try store.save(UpstreamSync(bug: 5, changesets: [])) }
        try store.deleteSync(id: 1)
        #expect(try store.sync(id: 1) == nil)
        #expect(try store.syncs(relevantToBugs: [], nodePrefixes: ["aaaaaaaaaaaa"]).isEmpty)
    }
}

@Suite("Landing records and the commit map (SQLite; PostgreSQL when installed)")
struct LandingStoreTests {
    let dir = TempDir("landings")
    let sha = String(repeating: "a", count: 40)

    @Test(arguments: JournalBackend.available) func oneUnpushedLandingStaleSavesRefusedManualMappingsWin(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        var first = try store.save(Landing(upstreamBase: sha, upstreamHead: sha, units: [ImportUnit(pullRequest: 3, commits: [sha], base: sha)]))
        #expect(try store.landing(id: first.id) == first)
        #expect { try store.save(Landing(upstreamBase: sha, upstreamHead: sha, units: [])) } throws: { _ in true }
        let stale = first
        first.status = .pushed
        first = try store.save(first)
        #expect { try store.save(stale) } throws: { error in
            if case StoreError.staleRecord = error { true } else { false }
        }
        let second = try store.save(Landing(status: .deferred, upstreamBase: sha, upstreamHead: sha, units: []))
        #expect(try store.landings(statuses: nil).map(\.id) == [second.id, first.id])
        #expect(try store.landings(statuses: [.pushed]).map(\.id) == [first.id])
        #expect(try store.landings(statuses: nil, limit: 1).map(\.id) == [second.id])
        #expect(try store.landings(statuses: [.open]).isEmpty)

        try store.setCommitMapping(CommitMapping(sha: sha, pullRequest: 5, source: "github", title: "T"))
        try store.setCommitMapping(CommitMapping(sha: sha, pullRequest: 6, source: "manual"))
        try store.setCommitMapping(CommitMapping(sha: sha, pullRequest: 7, source: "github"))
        #expect(try store.commitMapping(sha: sha) == CommitMapping(sha: sha, pullRequest: 6, source: "manual"))
        try store.setCommitMapping(CommitMapping(sha: sha, pullRequest: nil, source: "manual"))
        #expect(try store.commitMapping(sha: sha)?.pullRequest == nil)
        #expect(try store.commitMapping(sha: String(repeating: "b", count: 40)) == nil)
    }

    /// Issue 11: an idle re-check compares this number instead of reading every sync.
    @Test(arguments: JournalBackend.available) func theSyncsGenerationChangesWithEveryWriteIncludingOnesFromOutside(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        var generation = try store.syncsGeneration()
        func changed() throws -> Bool {
            let now = try store.syncsGeneration()
            defer { generation = now }
            return now != generation
        }
        var sync = try store.save(UpstreamSync(bug: 5, changesets: [SyncChangeset(node: String(repeating: "a", count: 40))]))
        #expect(try changed())
        #expect(try !changed())
        sync.status = .open
        sync = try store.save(sync)
        #expect(try changed())
        try backend.outside(store, "UPDATE upstream_syncs SET status = 'closed'")
        #expect(try changed())
        try store.deleteSync(id: sync.id)
        #expect(try changed())
    }
}
