import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// What the callers rely on from each record store, on both backends: saves raced by several
/// processes, status times, autoland requests, downstream syncs, re-check marks.
@Suite("Record stores (SQLite; PostgreSQL when installed)")
struct RecordStoreContractTests {
    let dir = TempDir("records")
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    /// Several workers save the same version of a record at once: one wins, every other is told
    /// its record is stale (and retries from the fresh one); nothing is lost or saved twice.
    @Test(arguments: JournalBackend.available) func racingSavesOfOneVersionLetExactlyOneWin(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let sync = try store.save(UpstreamSync(bug: 5, changesets: [SyncChangeset(node: String(repeating: "a", count: 40))]))
        let landing = try store.save(Landing(upstreamBase: "b", upstreamHead: "h", units: []))
        let workers = try (0..<4).map { _ in try backend.reopen(store) }
        let outcomes = Locked<[String]>([])
        try runAll(workers.enumerated().map { index, worker in
            { @Sendable in
                var mine = sync, other = landing
                mine.pullRequest = index
                other.status = .pushed
                for save in [{ _ = try worker.save(mine) }, { _ = try worker.save(other) }] {
                    do { try save(); outcomes.update { $0.append("saved") } } catch StoreError.staleRecord { outcomes.update { $0.append("stale") } } catch {
                        outcomes.update { $0.append("\(error)") }
                    }
                }
            }
        })
        #expect(outcomes.value.sorted() == ["saved", "saved"] + Array(repeating: "stale", count: 6))
        #expect(try store.sync(id: sync.id)?.version == sync.version + 1)
        #expect(try store.landing(id: landing.id)?.version == landing.version + 1)
    }

    @Test(arguments: JournalBackend.available) func statusTimesChangeOnlyWithTheStatus(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        var sync = try store.save(UpstreamSync(bug: 5))
        let landing = try store.save(Landing(status: .deferred, upstreamBase: "b", upstreamHead: "h", units: []))
        #expect(try store.syncsWithStatusTime([.open]).first?.since != nil)
        try backend.outside(store, "UPDATE upstream_syncs SET status_since = 1")
        sync.pullRequest = 3
        sync = try store.save(sync)
        #expect(try store.syncsWithStatusTime([.open]).map(\.since) == [Date(timeIntervalSince1970: 1)])
        sync.status = .needsFixup
        sync = try store.save(sync)
        let moved = try store.syncsWithStatusTime([.needsFixup, .open])
        #expect(moved.map(\.sync) == [sync] && (moved.first?.since ?? .distantPast) > Date(timeIntervalSince1970: 1))
        #expect(try store.landingsWithStatusTime([.deferred]).map(\.landing) == [landing])
        #expect(try store.landingsWithStatusTime([.pushed]).isEmpty)

        #expect(try store.pendingSummary().count == 0 && store.pendingSummary().oldest == nil)
        _ = try store.record([push("autoland", 1), push("central", 2)], at: t)
        #expect(try store.pendingSummary().count == 2 && store.pendingSummary().oldest?.id == 1)
    }

    @Test(arguments: JournalBackend.available) func aPeriodicTaskIsFailingSinceItsFirstFailureUntilASuccess(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        try store.recordPeriodicRun("reconcile", at: t, error: nil)
        try store.recordPeriodicRun("autoland", at: t, error: "first")
        try store.recordPeriodicRun("autoland", at: t.addingTimeInterval(60), error: "second")
        #expect(try store.periodicRuns() == [
            PeriodicRun(name: "autoland", failingSince: t, lastError: "second"),
            PeriodicRun(name: "reconcile", lastSuccess: t),
        ])
        try store.recordPeriodicRun("autoland", at: t.addingTimeInterval(120), error: nil)
        #expect(try backend.reopen(store).periodicRuns().first == PeriodicRun(name: "autoland", lastSuccess: t.addingTimeInterval(120)))
    }

    @Test(arguments: JournalBackend.available) func oneAutolandRequestPerTipEvenWhenRecordedAtOnce(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let tip = String(repeating: "c", count: 40)
        let request = AutolandRequest(repository: "try", tip: tip, nodes: [tip], requester: "alice", tree: nil, bugs: [1], receivedAt: t)
        let ids = Locked<[Int64]>([])
        let hooks = try (0..<4).map { _ in try backend.reopen(store) }
        try runAll(hooks.map { hook in { @Sendable in ids.update { $0.append((try? hook.save(request))?.id ?? -1) } } })
        #expect(Set(ids.value).count == 1 && ids.value.allSatisfy { $0 > 0 })
        var stored = try #require(try store.autolandRequest(repository: "try", tip: tip))
        #expect(try store.autolandRequest(id: stored.id) == stored && stored.version == 1)
        let stale = stored
        stored.state.phase = .watching
        stored.comments = ["one", "two"]
        stored.postedComments = 1
        stored = try store.save(stored)
        #expect { try store.save(stale) } throws: { error in if case StoreError.staleRecord = error { true } else { false } }
        let other = try store.save(AutolandRequest(repository: "try", tip: String(repeating: "d", count: 40), nodes: [], requester: nil, tree: nil,
                                                   bugs: [], receivedAt: t))
        #expect(try store.autolandRequests(phases: nil).map(\.id) == [other.id, stored.id])
        #expect(try store.autolandRequests(phases: [.watching]) == [stored])
        #expect(try store.latestAutolandRequests(limit: 1).map(\.id) == [other.id])
        #expect(try store.autolandRequestsWithUnpostedComments() == [stored])
        #expect(try store.autolandRequest(repository: "try", tip: "e") == nil)
    }

    @Test(arguments: JournalBackend.available) func aDownstreamSyncIsOneRecordPerPullRequest(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        var sync = DownstreamSync(pullRequest: 12)
        try store.saveDownstreamSync(sync)
        sync.bug = 1234
        sync.commented = ["results"]
        try store.saveDownstreamSync(sync)
        try store.saveDownstreamSync(DownstreamSync(pullRequest: 3))
        #expect(try backend.reopen(store).downstreamSync(pullRequest: 12) == sync)
        #expect(try store.downstreamSync(pullRequest: 13) == nil)
        #expect(try store.downstreamSyncs().map(\.pullRequest) == [3, 12])
    }

    @Test(arguments: JournalBackend.available) func aRecheckMarkIsReplaced(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        #expect(try store.recheckMark("upstream-syncs") == nil)
        try store.setRecheckMark("upstream-syncs", to: "a")
        try store.setRecheckMark("upstream-syncs", to: "b")
        try store.setRecheckMark("pushed-landings", to: "c")
        #expect(try backend.reopen(store).recheckMark("upstream-syncs") == "b")
    }

    /// A corrupt record is an error naming it, not a crash or a silent gap.
    @Test(arguments: JournalBackend.available) func aDamagedRecordIsAnErrorNamingIt(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let sync = try store.save(UpstreamSync(bug: 5))
        try backend.outside(store, "UPDATE upstream_syncs SET record = 'not json'")
        #expect { try store.sync(id: sync.id) } throws: { error in
            guard case StoreError.corruptRecord(let id, let reason) = error else { return false }
            return id == sync.id && reason.hasPrefix("upstream_syncs: ")
        }
    }
}
