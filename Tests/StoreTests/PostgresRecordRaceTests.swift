import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// Writers that read a key, decide and write it while the row does not exist yet: with SQLite's
/// single writer they take turns; PostgreSQL must make them take turns too. The table is held
/// from outside until every writer waits, so all of them would read "nothing yet" without that.
@Suite("PostgreSQL records written at once", .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresRecordRaceTests {
    /// How many lock requests of this database wait (tests run at once share the cluster).
    static let waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `writers` while `table` is write-locked from outside, releasing it once all of them wait.
    func race(_ journal: PostgresJournal, table: String, _ writers: [@Sendable () -> Void]) throws {
        let holder = try PostgresConnection(journal.parameters)
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE \(table) IN SHARE ROW EXCLUSIVE MODE")
        let observer = try PostgresConnection(journal.parameters)
        let done = DispatchSemaphore(value: 0)
        for writer in writers { Thread { writer(); done.signal() }.start() }
        #expect(waitUntil(limit: 60) {
            (try? observer.execute(Self.waiting).rows[0][0]) == String(writers.count)
        })
        try holder.execute("COMMIT")
        for _ in writers { #expect(done.wait(timeout: .now() + 120) == .success) }
    }

    @Test func oneAutolandRequestWhenFourHooksRecordItAtOnce() throws {
        let journal = try PostgresJournal.fresh()
        let tip = String(repeating: "c", count: 40)
        let request = AutolandRequest(repository: "try", tip: tip, nodes: [tip], requester: "alice", tree: nil, bugs: [1], receivedAt: t)
        let outcomes = Locked<[String]>([])
        try race(journal, table: "autoland_requests", (0..<4).map { _ in
            { @Sendable in
                do { let saved = try PostgresJournal(journal.parameters).save(request); outcomes.update { $0.append("id \(saved.id)") } } catch {
                    outcomes.update { $0.append("\(error)") }
                }
            }
        })
        #expect(outcomes.value == Array(repeating: "id 1", count: 4))
        #expect(try journal.autolandRequests(phases: nil).count == 1)
    }

    @Test func twoReviewsDeliveredAtOnceAreBothKept() throws {
        let journal = try PostgresJournal.fresh()
        let head = String(repeating: "a", count: 40)
        let pr = PullRequestObservation(number: 7, url: "u", title: "t", author: "alice", state: .open, head: head, headBranch: "f",
                                        base: "master", updatedAt: t)
        let errors = Locked<[String]>([])
        try race(journal, table: "downstream_prs", ["bob", "carol"].map { reviewer in
            { @Sendable in
                let review = ReviewObservation(reviewer: reviewer, state: .approved, commit: head, submittedAt: t)
                do { _ = try PostgresJournal(journal.parameters).observe(repository: "w/wpt", pullRequest: pr, review: review, delivery: reviewer,
                                                                            syncLabel: "l", at: t) } catch { errors.update { $0.append("\(error)") } }
            }
        })
        #expect(errors.value.isEmpty)
        #expect(try journal.seenPullRequest(7)?.record.reviews.keys.sorted() == ["bob", "carol"])
    }

    /// A landing's save and a downstream sync's save share rows: the landed-metadata index the
    /// landing rewrites and the late mark of each PR both recompute. Two connections save them at
    /// the same moment, round after round: a new PR's first sync beside the landing that imported
    /// it (without metadata), and PR 1's sync taking the revision the landing carries for it.
    /// Whatever order they commit in, every save succeeds, the index holds each landing's rows
    /// once, and each late mark is what the records say.
    @Test func aLandingAndASyncSavedAtOnceLoseNothing() throws {
        let journal = try PostgresJournal.fresh()
        let landings = try PostgresJournal(journal.parameters), syncs = try PostgresJournal(journal.parameters)
        try syncs.saveDownstreamSync(LandedMetadataIndexTests.sync(1, "l0"))
        let rounds = 150
        let barrier = Barrier(parties: 2)
        let errors = Locked<[String]>([])
        try runAll([
            { @Sendable in
                for round in 1...rounds {
                    barrier.wait()
                    do { _ = try landings.save(LandedMetadataIndexTests.landing(.pushed, imports: [100 + round], carries: [1: "l\(round)"])) } catch {
                        errors.update { $0.append("landing \(round): \(error)") }
                    }
                }
            },
            { @Sendable in
                for round in 1...rounds {
                    barrier.wait()
                    do {
                        try syncs.saveDownstreamSync(LandedMetadataIndexTests.sync(100 + round, "s\(round)"))
                        try syncs.saveDownstreamSync(LandedMetadataIndexTests.sync(1, "l\(round)"))
                    } catch { errors.update { $0.append("sync \(round): \(error)") } }
                }
            },
        ])
        #expect(errors.value == [])

        let saved = try journal.landings(statuses: nil, limit: nil)
        let entries = saved.flatMap(LateMetadata.entries(of:)).sorted { ($0.landing, -$0.pullRequest) > ($1.landing, -$1.pullRequest) }
        #expect(saved.count == rounds)
        #expect(try journal.landedMetadata(pullRequests: [1] + (101...100 + rounds)) == entries)
        #expect(try StoreKind.postgres.outside(journal, "SELECT count(*) FROM landed_metadata").trimmingCharacters(in: .whitespacesAndNewlines) == "\(2 * rounds)")
        let landed = LateMetadata.landed(entries)
        let late = try journal.downstreamSyncs().filter { sync in
            guard let revision = LateMetadata.revision(of: sync), let before = landed[sync.pullRequest] else { return false }
            return before?.revision != revision
        }
        #expect(late.map(\.pullRequest) == Array(101...100 + rounds))
        #expect(try journal.downstreamSyncsWithLateMetadata().map(\.pullRequest) == late.map(\.pullRequest))
    }

    /// Two landings' saves lock the late marks of the PRs they import. The locks are keyed by a
    /// 32-bit hash, so two PRs can share a key: with PRs chosen so that the two landings meet the
    /// two shared keys in opposite orders of PR number, locking by PR number deadlocks, and the
    /// server aborts one save. Locking in the order of the keys never does.
    @Test func twoLandingsWhosePullRequestsShareLockKeysSavedAtOnceDoNotDeadlock() throws {
        let journal = try PostgresJournal.fresh()
        let (first, second) = try #require(try Self.crossedPullRequests(journal))
        let barrier = Barrier(parties: 2)
        let errors = Locked<[String]>([])
        let rounds = 30
        try runAll([first, second].map { imports in
            { @Sendable in
                do {
                    let store = try PostgresJournal(journal.parameters)
                    for _ in 1...rounds {
                        barrier.wait()
                        do { _ = try store.save(LandedMetadataIndexTests.landing(.pushed, imports: imports, carries: [:])) } catch {
                            errors.update { $0.append("\(imports): \(error)") }
                        }
                    }
                } catch { errors.update { $0.append("\(error)") } }
            }
        })
        #expect(errors.value == [])
        #expect(try journal.landedMetadata(pullRequests: first + second).count == 2 * 2 * rounds)
    }

    /// Two pairs of PRs `[a, b]`, `[a2, b2]` whose lock keys are equal (a's and a2's, b's and b2's)
    /// and in opposite orders of PR number (a < b, b2 < a2), found among the first 600,000 numbers.
    static func crossedPullRequests(_ journal: PostgresJournal) throws -> ([Int], [Int])? {
        let rows = try StoreKind.postgres.outside(journal, """
            SELECT string_agg(n::text, ',' ORDER BY n) FROM generate_series(1, 600000) n
            GROUP BY hashtext('landed_metadata ' || n) HAVING count(*) = 2
            """)
        let pairs = rows.split(separator: "\n").map { $0.split(separator: ",").compactMap { Int($0) } }.filter { $0.count == 2 }
        for p in pairs { for q in pairs where q != p {
            for (a, a2) in [(p[0], p[1]), (p[1], p[0])] { for (b, b2) in [(q[0], q[1]), (q[1], q[0])] where a < b && b2 < a2 {
                return ([a, b], [a2, b2])
            } }
        } }
        return nil
    }
}

/// Makes `parties` threads wait for each other, round after round.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0, round = 0

    init(parties: Int) { self.parties = parties }

    func wait() {
        condition.lock()
        defer { condition.unlock() }
        let mine = round
        arrived += 1
        if arrived == parties {
            arrived = 0
            round += 1
            condition.broadcast()
        } else {
            while round == mine { condition.wait() }
        }
    }
}
