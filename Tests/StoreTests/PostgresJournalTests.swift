import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// What only the PostgreSQL journal does: migrations from several machines at once, workers in
/// several connections draining one journal, NOTIFY on record.
@Suite("PostgreSQL event journal", .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresJournalTests {
    @Test func migratingFromSeveralConnectionsAtOnceAppliesEachMigrationOnce() throws {
        let first = try PostgresJournal.fresh()
        let database = first.parameters
        // A new database: drop what `fresh` applied, so that all of them race from nothing.
        let empty = try PostgresJournal(PostgresParameters(url: try #require(PostgresCluster.shared).createDatabase()))
        #expect(try empty.schemaVersion() == 0)
        let journals = try (0..<4).map { _ in try PostgresJournal(empty.parameters) }
        let applied = Locked<[[Int]]>([])
        let errors = Locked<[String]>([])
        let threads: [@Sendable () -> Void] = journals.map { journal in
            { @Sendable in
                do { let versions = try journal.migrate(); applied.update { $0.append(versions) } } catch { errors.update { $0.append("\(error)") } }
            }
        }
        try runAll(threads)
        #expect(errors.value.isEmpty)
        #expect(applied.value.flatMap { $0 }.sorted() == Array(1...(try first.schemaVersion())))
        #expect(try empty.schemaVersion() == first.schemaVersion() && first.schemaVersion() >= 1)
        #expect(try PostgresJournal(database).migrate().isEmpty)
    }

    /// Issue 15: the records besides the events came with version 2; a store at version 1 keeps its
    /// events and gains the other tables.
    @Test func aStoreAtVersionOneIsMigratedKeepingItsEvents() throws {
        let parameters = PostgresParameters(url: try #require(PostgresCluster.shared).createDatabase())
        #expect(try PostgresSchema.migrate(PostgresConnection(parameters), upTo: 1).applied == [1])
        let journal = try PostgresJournal(parameters)
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(try journal.migrate() == Array(2...PostgresJournal.schemaVersion))
        #expect(try journal.event(id: 1)?.payload == push("autoland", 1))
        let sync = try journal.save(UpstreamSync(bug: 5, changesets: [SyncChangeset(node: String(repeating: "a", count: 40))]))
        #expect(try journal.syncs(relevantToBugs: [], nodePrefixes: ["aaaa"]) == [sync])
    }

    @Test func threeWorkersDrainFiveHundredEventsOnceEachInEachRepositorysOrder() throws {
        let journal = try PostgresJournal.fresh()
        let repositories = ["autoland", "central", "beta", "release", "wpt"]
        // Recorded while the workers drain; the hooks of one repository push one after another.
        let recorders: [@Sendable () -> Void] = repositories.enumerated().map { index, repository in
            { @Sendable in
                let hook = try! PostgresJournal(journal.parameters)
                for n in stride(from: index, to: 500, by: repositories.count) { _ = try! hook.record(push(repository, n), at: Date()) }
            }
        }
        let handled = Locked<[(repository: String, n: Int)]>([])
        let running = Locked<Set<String>>([])
        let overlaps = Locked<[String]>([])
        let workers: [@Sendable () -> Void] = (1...3).map { number in
            { @Sendable in
                let worker = try! PostgresJournal(journal.parameters)
                let deadline = Date().addingTimeInterval(300)
                while handled.value.count < 500 && Date() < deadline {
                    guard let event = try! worker.claimNext(worker: "w\(number)", now: Date(), dueBy: Date(), leaseSeconds: 60, maxAttempts: 5),
                          case .hgPush(let push) = event.payload else { usleep(5_000); continue }
                    let n = Int(push.firstNode, radix: 16)!
                    if !running.update({ $0.insert(push.repository).inserted }) { overlaps.update { $0.append("\(push.repository) \(n)") } }
                    // Every seventh event fails once and is retried at once.
                    if n % 7 == 0 && event.attempts == 1 {
                        running.update { _ = $0.remove(push.repository) }
                        try! worker.fail(id: event.id, worker: "w\(number)", error: "flaky", retryAt: Date(), now: Date())
                        continue
                    }
                    handled.update { $0.append((push.repository, n)) }
                    running.update { _ = $0.remove(push.repository) }
                    try! worker.complete(id: event.id, worker: "w\(number)", now: Date())
                }
            }
        }
        try runAll(recorders + workers)
        #expect(overlaps.value.isEmpty)
        #expect(handled.value.map(\.n).sorted() == Array(0..<500))
        for repository in repositories {
            let order = handled.value.filter { $0.repository == repository }.map(\.n)
            #expect(order == order.sorted(), "\(repository) handled out of order")
        }
        #expect(try journal.counts() == [.done: 500])
    }

    @Test func recordingNotifiesAListeningWorker() throws {
        let journal = try PostgresJournal.fresh()
        let woken = DispatchSemaphore(value: 0)
        let listener = try PostgresListener(journal.parameters) { woken.signal() }
        defer { listener.stop() }
        #expect(woken.wait(timeout: .now() + 0.2) == .timedOut)
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(woken.wait(timeout: .now() + 30) == .success)
        // A push recorded before is no news.
        _ = try journal.record(push("autoland", 1), at: t0)
        #expect(woken.wait(timeout: .now() + 0.5) == .timedOut)
    }

    @Test func theListenersPipeIsNotInheritedByChildProcesses() throws {
        let journal = try PostgresJournal.fresh()
        let listener = try PostgresListener(journal.parameters) {}
        defer { listener.stop() }
        for fd in [listener.stopPipe.read, listener.stopPipe.write] { #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0) }
    }

    @Test func batchesNamingTheSameRepositoriesInOppositeOrdersDoNotDeadlock() throws {
        let journal = try PostgresJournal.fresh()
        let waiting = { () throws -> Int in
            let rows = try PostgresConnection(journal.parameters).execute(PostgresRecordRaceTests.waiting + " AND locktype = 'advisory'")
            return Int(rows.rows[0][0] ?? "") ?? -1
        }
        // `central` is held while one batch asks for it first and the other for `autoland` first.
        let holder = try PostgresConnection(journal.parameters)
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock(hashtext('central'))")
        let errors = Locked<[String]>([])
        let batch = { (repositories: [String], n: Int) in
            { @Sendable in
                do { _ = try PostgresJournal(journal.parameters).record(repositories.map { push($0, n) }, at: t0) } catch { errors.update { $0.append("\(error)") } }
            }
        }
        let done = DispatchSemaphore(value: 0)
        let first = batch(["central", "autoland"], 1), second = batch(["autoland", "central"], 2)
        Thread { first(); done.signal() }.start()
        #expect(waitUntil(limit: 60) { (try? waiting()) == 1 })
        Thread { second(); done.signal() }.start()
        #expect(waitUntil(limit: 60) { (try? waiting()) == 2 })
        try holder.execute("COMMIT")
        for _ in 0..<2 { #expect(done.wait(timeout: .now() + 120) == .success) }
        #expect(errors.value.isEmpty, "\(errors.value)")
        #expect(try journal.counts() == [.pending: 4])
    }

    @Test func anUnreachableServerIsUnavailableNotAQueryError() throws {
        let port = try #require(PostgresCluster.shared).port
        // A port nothing listens on: the cluster's port plus one is as good as any free one.
        let url = "postgresql://wptsync@127.0.0.1:\(port &+ 1)/none"
        #expect { _ = try PostgresJournal(PostgresParameters(url: url, connectTimeoutSeconds: 2)) } throws: { error in
            guard case StoreError.open(let store, _) = error else { return false }
            return store == url
        }
    }
}

/// A value shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    @discardableResult
    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&stored) } }
}

/// Runs each body in a thread of its own and waits for all to finish (at most ten minutes).
func runAll(_ bodies: [@Sendable () -> Void]) throws {
    let done = DispatchSemaphore(value: 0)
    for body in bodies { Thread { body(); done.signal() }.start() }
    for _ in bodies { try #require(done.wait(timeout: .now() + 600) == .success) }
}
