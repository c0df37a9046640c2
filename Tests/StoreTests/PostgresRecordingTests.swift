import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// What recording an event costs a hook on the wire, and what a batch records.
@Suite("PostgreSQL recording", .enabled(if: PostgresCluster.binaries != nil, "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15)"))
struct PostgresRecordingTests {
    @Test func recordingAnEventTakesOneRoundTripAndALoopbackConnectionAsksForNoEncryption() throws {
        let journal = try PostgresJournal.fresh()
        let relay = try PostgresRelay(to: try #require(PostgresCluster.shared).port)
        defer { relay.stop() }
        let hook = try PostgresJournal(PostgresParameters(url: relay.url(journal.url), connectTimeoutSeconds: 2, statementTimeoutMilliseconds: 2000))
        #expect(relay.encryptionRequests == 0)
        let connected = relay.turns
        #expect(try hook.record(push("autoland", 1), at: t0) == .recorded(id: 1))
        #expect(relay.turns - connected == 1)
        #expect(try hook.record(push("autoland", 1), at: t0) == .duplicate(id: 1))
        #expect(relay.turns - connected == 2)
        #expect(try journal.event(id: 1)?.state == .pending)
    }

    @Test func aBatchRecordsNewEventsInOrderOnceEachAndWakesAListener() throws {
        let journal = try PostgresJournal.fresh()
        _ = try journal.record(push("central", 9), at: t0)
        let woken = DispatchSemaphore(value: 0)
        let listener = try PostgresListener(journal.parameters) { woken.signal() }
        defer { listener.stop() }
        let outcomes = try journal.record([push("autoland", 1), push("central", 9), push("central", 2), push("autoland", 1)], at: t0)
        #expect(outcomes == [.recorded(id: 2), .duplicate(id: 1), .recorded(id: 3), .duplicate(id: 2)])
        #expect(woken.wait(timeout: .now() + 30) == .success)
        let claimed = try journal.claimNext(worker: "w", now: t0, dueBy: t0, leaseSeconds: 60, maxAttempts: 3)
        #expect(claimed?.id == 1)
        #expect(try journal.counts() == [.pending: 2, .running: 1])
    }

    @Test func onlyALoopbackServerIsReachedWithoutTryingEncryptionFirst() {
        #expect(PostgresParameters.loopbackEncryption(["host": "127.0.0.1"]).map { "\($0)=\($1)" } == ["sslmode=allow", "gssencmode=disable"])
        #expect(PostgresParameters.loopbackEncryption(["host": "localhost,::1", "sslmode": "require"]).map { "\($0)=\($1)" } == ["gssencmode=disable"])
        #expect(PostgresParameters.loopbackEncryption(["host": "db.internal"]).isEmpty)
        #expect(PostgresParameters.loopbackEncryption(["host": "127.0.0.1,db.internal"]).isEmpty)
        #expect(PostgresParameters.loopbackEncryption(["host": "127.evil.example"]).isEmpty)
        #expect(PostgresParameters.loopbackEncryption(["host": "db.internal", "hostaddr": "127.0.0.2"]).count == 2)
        #expect(PostgresParameters.loopbackEncryption(["host": "/var/run/postgresql"]).isEmpty)
        #expect(PostgresParameters.loopbackEncryption([:]).isEmpty)
    }
}
