import Foundation
import Testing
@testable import SyncCore

/// `ServiceStatus.summarize`: what needs a person, from plain values.
@Suite("Status rules")
struct StatusRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    func ago(hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
    func summarize(_ facts: StatusFacts, _ thresholds: StatusThresholds = .init()) -> ServiceStatus {
        ServiceStatus.summarize(facts, thresholds: thresholds, now: now)
    }
    func needing(_ status: ServiceStatus) -> [String] { status.items.filter(\.needsPerson).map { "\($0.kind.rawValue) \($0.id ?? "-"): \($0.command)" } }

    @Test func aQuietServiceNeedsNobody() {
        let status = summarize(StatusFacts(pendingEvents: 2, oldestPending: (7, ago(hours: 0.5)),
                                           periodicTasks: [("upstream-recheck", 300)],
                                           periodicRuns: [PeriodicRun(name: "upstream-recheck", lastSuccess: ago(hours: 0.1))]))
        #expect(!status.needsPerson)
        #expect(status.items.map(\.kind) == [.pendingEvents, .periodic])
    }

    @Test func eventsNeedAPersonOnceTheyGaveUpOrWaitTooLong() {
        let facts = StatusFacts(pendingEvents: 1, oldestPending: (9, ago(hours: 2)), failedEvents: [
            FailedEvent(id: 3, repository: "autoland", receivedAt: ago(hours: 0.2), nextAttemptAt: now, permanent: false, attempts: 1, lastError: "HTTP 502"),
            FailedEvent(id: 4, repository: "autoland", receivedAt: ago(hours: 0.2), nextAttemptAt: nil, permanent: true, attempts: 1, lastError: nil),
            FailedEvent(id: 5, repository: "wpt", receivedAt: ago(hours: 1.5), nextAttemptAt: now, permanent: false, attempts: 4, lastError: nil),
        ])
        #expect(needing(summarize(facts)) == [
            "pending-events 9: check that `wptsync worker` runs (its log says what it waits for); `wptsync process` runs one pass",
            "event 4: wptsync retry 4 (once the cause is fixed), or wptsync events drop 4 --reason …",
            "event 5: wptsync retry 5 (once the cause is fixed), or wptsync events drop 5 --reason …",
        ])
        #expect(needing(summarize(facts, StatusThresholds(eventHours: 3))).count == 1)
    }

    @Test func syncsNeedAPersonWhenWaitingForAFixOrOpenTooLong() {
        var fixup = UpstreamSync(id: 1, bug: 1234, status: .needsFixup)
        fixup.conflict = SyncConflict(node: String(repeating: "a", count: 40), files: ["a.html"])
        let stuck = UpstreamSync(id: 2, bug: 1235, status: .open)
        let young = UpstreamSync(id: 3, bug: 1236, status: .open)
        let facts = StatusFacts(syncs: [(fixup, ago(hours: 0.1)), (stuck, ago(hours: 80)), (young, ago(hours: 5)), (UpstreamSync(id: 4, bug: 9, status: .open), nil)])
        #expect(needing(summarize(facts)) == [
            "sync 1: fix gecko/1234 upstream, then wptsync continue upstream 1; or wptsync skip changeset NODE --reason …",
            "sync 2: wptsync retry --sync 2",
        ])
        #expect(summarize(facts).items.first?.summary == "sync 1 gecko/1234 needs-fixup (conflict in aaaaaaaaaaaa: a.html)")
    }

    @Test func aSyncBackedOutAfterItsMergeNeedsAPersonUntilARevertPRIsOpen() {
        let undecided = UpstreamSync(id: 5, bug: 77, status: .backedOutAfterMerge)
        var reverting = UpstreamSync(id: 6, bug: 78, status: .backedOutAfterMerge)
        reverting.revertPullRequest = 12
        #expect(needing(summarize(StatusFacts(syncs: [(undecided, ago(hours: 0.1)), (reverting, ago(hours: 1))]))) == [
            "sync 5: wptsync revert upstream 5 (opens the revert PR), or reland the change in Gecko",
        ])
        #expect(needing(summarize(StatusFacts(syncs: [(reverting, ago(hours: 80))]))) == [
            "sync 6: review and merge the revert PR #12 upstream, or reland the change in Gecko",
        ])
    }

    /// A revert PR's wait counts from its opening, not from the backout long before.
    @Test func aRevertPullRequestsWaitCountsFromItsOpening() {
        var reverting = UpstreamSync(id: 6, bug: 78, status: .backedOutAfterMerge)
        reverting.revertPullRequest = 12
        reverting.revertOpenedAt = ago(hours: 1)
        let status = summarize(StatusFacts(syncs: [(reverting, ago(hours: 80))]))
        #expect(!status.needsPerson && status.items.map(\.since) == [ago(hours: 1)])
        reverting.revertOpenedAt = ago(hours: 79)
        #expect(needing(summarize(StatusFacts(syncs: [(reverting, ago(hours: 80))]))).count == 1)
    }

    @Test func aRefusedLandingAndARecordAMigrationLeftOutNeedAPerson() {
        var refused = Landing(id: 6, status: .needsFixup, upstreamBase: "a", upstreamHead: "b", units: [])
        refused.lastError = "autoland refused the push: tree rules"
        var facts = StatusFacts(landings: [(refused, ago(hours: 1))])
        facts.unreadableRecords = ["migration m left out landings row 9, which cannot be read (x); the row is left as it is"]
        #expect(needing(summarize(facts)) == [
            "unreadable-record -: repair the row's record or delete the row; `wptsync migrate` names what is left",
            "landing 6: once the cause is settled, wptsync continue landing (pushes it again)",
        ])
        #expect(summarize(facts).items.last?.summary.hasSuffix("last error: autoland refused the push: tree rules") == true)
    }

    @Test func landingsNeedAPersonForAFixABackoutOrWhenStuck() {
        let landing = { (id: Int64, status: LandingStatus) in Landing(id: id, status: status, upstreamBase: "a", upstreamHead: "b", units: []) }
        let facts = StatusFacts(landings: [(landing(5, .deferred), ago(hours: 50)), (landing(4, .pushed), ago(hours: 10)),
                                           (landing(3, .backedOut), ago(hours: 1)), (landing(2, .needsFixup), ago(hours: 1))])
        #expect(needing(summarize(facts)).map { String($0.prefix(10)) } == ["landing 5:", "landing 2:"])
        // The newest landing backed out: nothing is imported until a person decides.
        let backedOut = StatusFacts(landings: [(landing(3, .backedOut), ago(hours: 1)), (landing(2, .landed), ago(hours: 9))])
        #expect(needing(summarize(backedOut)) == ["landing 3: wptsync continue landing"])
        #expect(needing(summarize(StatusFacts(landings: [(landing(4, .pushed), ago(hours: 49))]))).count == 1)
    }

    @Test func periodicTasksNeedAPersonWhenFailingOrStaleForSeveralIntervals() {
        let tasks = [(name: "upstream-recheck", interval: 300.0), (name: "landing-retry", interval: 600.0)]
        let runs = [PeriodicRun(name: "upstream-recheck", lastSuccess: ago(hours: 1.6), failingSince: ago(hours: 1.5), lastError: "HTTP 401"),
                    PeriodicRun(name: "landing-retry", lastSuccess: ago(hours: 1.2))]
        #expect(needing(summarize(StatusFacts(periodicTasks: tasks, periodicRuns: runs))) == [
            "periodic upstream-recheck: the worker's log (`periodic task failed`)",
            "periodic landing-retry: check that `wptsync worker` runs",
        ])
        #expect(!summarize(StatusFacts(periodicTasks: tasks, periodicRuns: runs), StatusThresholds(periodicIntervals: 20)).needsPerson)
        // Never expected more often than a worker's pass, which events may hold up for `event_hours`.
        let often = StatusFacts(periodicTasks: [("upstream-recheck", 0.001)], periodicRuns: [PeriodicRun(name: "upstream-recheck", lastSuccess: ago(hours: 0.2))])
        #expect(!summarize(often).needsPerson && summarize(often, StatusThresholds(eventHours: 0.1)).needsPerson)
        // Never ran: the pending events tell whether a worker runs.
        #expect(!summarize(StatusFacts(periodicTasks: tasks)).needsPerson)
    }

    @Test func aPauseNeedsAPersonOnlyWhenOldAndHoldsBackTheRest() {
        let waiting = StatusFacts(pause: ("alice", "GitHub is down", ago(hours: 1)), pendingEvents: 3, oldestPending: (1, ago(hours: 2)),
                                  periodicTasks: [("upstream-recheck", 300)], periodicRuns: [PeriodicRun(name: "upstream-recheck", lastSuccess: ago(hours: 2))])
        #expect(!summarize(waiting).needsPerson)
        #expect(needing(summarize(waiting, StatusThresholds(pauseHours: 0.5))) == ["pause -: wptsync resume (once the reason is gone)"])
    }

    @Test func aStoreMigrationNeedsAPersonOnceItStoppedOrWhileItsCopyIsNotConfigured() {
        let url = "postgresql://wptsync@db/wptsync", path = "/state/wptsync.sqlite", file = "/state/wptsync.sqlite.migrate-store"
        var migration = StoreMigration(phase: .copying, from: path, to: url, host: "db1", pid: 7, startedAt: ago(hours: 0.1))
        func item(_ migration: StoreMigration?, live: Bool = false, configured: String = path) -> StatusItem? {
            var facts = StatusFacts()
            facts.storeMigration = (migration, file, live, configured, StoreIdentity.Defaults())
            return summarize(facts).items.first { $0.kind == .storeMigration }
        }
        #expect(item(migration, live: true)?.needsPerson == false)
        #expect(item(migration)?.needsPerson == true)
        #expect(item(migration)?.command == "run `wptsync migrate-store` again (it removes \(file)), or remove \(file) to stay on \(path)")
        migration.phase = .copied
        #expect(item(migration)?.command == "set `[store] url = \"\(url)\"`: the spool is imported into it; or remove \(file) to stay on \(path)")
        #expect(item(migration, configured: url) == nil)
        #expect(item(StoreMigration(phase: .copied, from: url, to: path, host: "db1", pid: 7, startedAt: now), configured: url)?.command.hasPrefix("remove `[store] url`") == true)
        #expect(item(nil)?.needsPerson == true)
    }
}
