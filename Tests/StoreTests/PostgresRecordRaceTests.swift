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
}
