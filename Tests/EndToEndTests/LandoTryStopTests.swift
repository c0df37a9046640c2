import Foundation
import LocalServices
import SyncCore
import Testing
import TestSupport

/// What a try push through Lando never does by itself: start a second try run when Lando may have
/// taken the first (a lost answer), take an earlier push's commit for its own, or send again a job
/// a person cancelled or Lando failed twice. Each stops the sync until a person runs `retry-try`.
@Suite("Downstream try pushes through Lando: a person decides", .serialized)
struct LandoTryStopTests {
    typealias World = LandoTryDownstreamTests.World

    @Test func aLostAnswerNotOnTryWaitsForAPersonAndRetryTrySendsItAgain() throws {
        // A 503 may come from a Lando that took the job (a slow or deferred one): never sent again by itself.
        let w = try World(waitSeconds: 0.5)
        w.lando.injectFault(.serverError(status: 503), method: "POST", pathPrefix: "/api/try/patches")
        let (pr, _) = try w.approvedPullRequest()
        let shown = try w.show(pr.number)
        #expect(w.tryRequests.map(\.status) == [503] && w.lando.jobs.isEmpty, "sent once: \(shown)")
        #expect(shown.contains("Lando's answer to the try submission was lost and try does not show the commit: check try, then `wptsync retry-try \(pr.number)`"), "\(shown)")
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        #expect(w.tryRequests.count == 1, "still sent once")

        _ = try w.base.landing.world.wptsync(["retry-try", "\(pr.number)"])
        _ = try w.processUntilTried(pr.number)
        let after = try w.show(pr.number)
        let job = try #require(w.lando.jobs.first, "\(after)")
        #expect(w.tryRequests.map(\.status) == [503, 201])
        #expect(try w.sync(pr.number)?.tryPushes.map(\.revision) == [nil, job.landedCommit])
    }

    @Test func aLostAnswerNeverTakesAnEarlierPushOfTheSameHeadForItsOwn() throws {
        let w = try World()
        let (pr, _) = try w.approvedPullRequest()
        // A person asks for a second run: Lando pushes it on the same base, as try's tip.
        _ = try w.base.landing.world.wptsync(["retry-try", "\(pr.number)"])
        _ = try w.processUntilTried(pr.number)
        let second = try #require(try w.sync(pr.number)?.tryPushes.last?.revision)
        #expect(try w.base.tryPushes().last == second)
        // A third, whose submission Lando never took (503 before acting): try's tip is still the second run.
        w.lando.injectFault(.serverError(status: 503), method: "POST", pathPrefix: "/api/try/patches")
        _ = try w.base.landing.world.wptsyncResult(["retry-try", "\(pr.number)"])
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        let pushes = try #require(try w.sync(pr.number)?.tryPushes)
        #expect(pushes.count == 3 && pushes.last?.revision == nil && pushes.last?.lando != nil, "\(pushes)")
        #expect(try w.show(pr.number).contains("planned, through Lando job (answer lost)"))
    }

    @Test func aFailedJobIsSentAgainOnceThenWaitsForAPerson() throws {
        let w = try World()
        w.lando.failNextJob(repository: "try", message: "Patch does not apply")
        w.lando.failNextJob(repository: "try", message: "Patch does not apply")
        w.lando.failNextJob(repository: "try", message: "Patch does not apply")
        let (pr, _) = try w.approvedPullRequest()
        let shown = try w.show(pr.number)
        #expect(w.tryRequests.count == 2 && w.lando.jobs.map(\.status) == [.failed, .failed], "sent again once: \(shown)")
        #expect(shown.contains("Lando try job 2 failed again: Patch does not apply; `wptsync retry-try \(pr.number)` sends it again"), "\(shown)")
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        #expect(w.tryRequests.count == 2)
    }

    @Test func landosErrorTextIsRedactedBeforeItIsStoredOrShown() throws {
        // Lando's error may quote what it was sent (a header, a URL): the token is never kept from it.
        let w = try World()
        let token = try #require(LocalLando.defaultTokens.keys.first)
        for _ in 0..<2 { w.lando.failNextJob(repository: "try", message: "Patch does not apply (Authorization: Bearer \(token))") }
        let (pr, outputs) = try w.approvedPullRequest()
        let shown = try w.show(pr.number)
        let stopped = try #require(try w.sync(pr.number)?.tryPushes.last?.lando?.stopped, "\(shown)")
        #expect(stopped.contains("failed again: Patch does not apply (Authorization: Bearer <redacted>)"), "\(stopped)")
        let log = try String(contentsOfFile: w.base.landing.world.log, encoding: .utf8)
        #expect(![stopped, shown, log, outputs.joined(separator: "\n")].contains { $0.contains(token) })
    }

    @Test func aCancelledJobWaitsForAPerson() throws {
        let w = try World(automatic: false)
        let pr = try w.base.landing.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
        #expect(try w.base.approve(pr) == 202)
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        let job = try #require(w.lando.jobs.first)
        #expect(w.lando.cancel(job: job.id))
        _ = try w.processUntilTried(pr.number)
        let shown = try w.show(pr.number)
        #expect(w.tryRequests.count == 1, "not sent again: \(shown)")
        #expect(shown.contains("Lando try job \(job.id) was cancelled; `wptsync retry-try \(pr.number)` sends it again"), "\(shown)")
    }

    @Test func aLandedJobWhoseCommitIsNotACommitIDIsNotRecorded() throws {
        let w = try World(automatic: false)
        let pr = try w.base.landing.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
        #expect(try w.base.approve(pr) == 202)
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        let job = try #require(w.lando.jobs.first)
        #expect(w.lando.markLanded(job: job.id, commitID: "not-a-commit; rm -rf /"))
        _ = try? w.base.landing.upstreamWorld.processUntilSettled(passes: 1)
        let sync = try #require(try w.sync(pr.number))
        #expect(sync.tryPushes.map(\.revision) == [nil], "\(sync.tryPushes)")
        let error = try #require(sync.lastError)
        #expect(error.contains("Lando try job \(job.id) landed with commit_id \"not-a-commit; rm -rf /\", which is not a git commit id"), "\(error)")
    }
}
