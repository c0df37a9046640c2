import Foundation
import SyncCore
import Testing

/// A downstream sync whose passes fail (a service down) is retried by the periodic pass only after
/// a doubling wait; a pass that goes through clears it.
@Suite("Downstream sync backoff")
struct DownstreamBackoffTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let backoff = Backoff(baseSeconds: 300, maxSeconds: 3600)

    @Test func failedPassesWaitLongerEachTimeUpToTheCap() {
        var sync = DownstreamSync(pullRequest: 7)
        #expect(!sync.isDue(at: start), "nothing running, nothing failed")
        sync.failed("Bugzilla: HTTP 503", at: start, backoff: backoff)
        #expect(!sync.isDue(at: start.addingTimeInterval(299)) && sync.isDue(at: start.addingTimeInterval(300)))
        sync.failed("Bugzilla: HTTP 503", at: start.addingTimeInterval(300), backoff: backoff)
        #expect(!sync.isDue(at: start.addingTimeInterval(899)) && sync.isDue(at: start.addingTimeInterval(900)))
        for _ in 0..<10 { sync.failed("still down", at: start, backoff: backoff) }
        #expect(sync.retryAt == start.addingTimeInterval(3600) && sync.failures == 12 && sync.lastError == "still down")
    }

    @Test func aRunningTryPushIsDueAtEveryPollUnlessAFailureIsWaitedFor() {
        var sync = DownstreamSync(pullRequest: 7)
        sync.plan(DownstreamTryPush(head: String(repeating: "a", count: 40), treeChanges: "x", mode: .tests, reason: .changes))
        sync.pushed(revision: String(repeating: "b", count: 40))
        #expect(sync.isDue(at: start))
        sync.failed("Taskcluster: timeout", at: start, backoff: backoff)
        #expect(!sync.isDue(at: start.addingTimeInterval(1)))
    }

    @Test func aRecordWithoutTheNewFieldsStillDecodes() throws {
        let old = #"{"blockedLabel":false,"bugResolved":false,"commented":[],"pullRequest":7,"requestedRetries":0,"tryPushes":[]}"#
        let sync = try JSONDecoder().decode(DownstreamSync.self, from: Data(old.utf8))
        #expect(sync.failures == nil && sync.retryAt == nil && sync.pullRequest == 7)
    }
}
