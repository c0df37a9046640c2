import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// An autoland request whose Lando job FAILED (not because the branch moved) or was CANCELLED:
/// it goes to the sheriff queue with Lando's reason, said once on the bug and in the audit log,
/// and is never submitted again by itself; `wptsync autoland land ID` submits it once more.
@Suite("Autoland through Lando: a stopped job waits for a sheriff", .serialized)
struct AutolandLandoStoppedTests {
    static let refusal = "Aborting, the commit message fails Lando's checks"

    /// A request passed on a git try repository, submitted to the local Lando as job 1, not run yet.
    private func submitted(_ name: String) throws -> (AutolandLandingWorld, LocalLando) {
        let w = try AutolandLandingWorld(name, geckoKind: .git, lando: true)
        let lando = try #require(w.lando)
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        #expect(try w.request().state.lando?.job == 1 && lando.jobs.count == 1)
        return (w, lando)
    }

    /// Processes three times: the stopped job is read once, and nothing more happens.
    private func expectQueuedOnce(_ w: AutolandLandingWorld, _ lando: LocalLando, reason: String) throws -> AutolandRequest {
        for _ in 1...3 { try w.world.wptsync(["process"]) }
        let queued = try w.request()
        #expect(queued.state.phase == .queued && queued.state.lando == nil, "\(queued.state)")
        #expect(queued.state.reason == "Lando did not land it: \(reason)", "\(queued.state)")
        #expect(lando.jobs.count == 1 && lando.requests.filter { $0.method == "POST" }.count == 1, "never submitted again by itself")
        #expect(w.comments.filter { $0.contains(reason) && $0.contains("waits for a sheriff") }.count == 1, "\(w.comments)")
        #expect(queued.audit?.filter { $0.phase == .queued }.map(\.who) == ["autoland"], "\(queued.audit ?? [])")
        #expect(queued.audit?.last?.why?.contains(reason) == true)
        let queue = try w.world.wptsync(["autoland", "list", "--state", "queued"])
        #expect(queue.contains("autoland \(queued.id) queued") && queue.contains(reason), "\(queue)")
        return queued
    }

    @Test func aJobFailedForAnotherReasonGoesToTheSheriffsWhoLandItOnce() throws {
        let (w, lando) = try submitted("git-try-lando-failed")
        lando.failNextJob(repository: "firefox-autoland", message: Self.refusal)
        lando.runPendingJobs()
        let queued = try expectQueuedOnce(w, lando, reason: "Lando job 1 FAILED: \(Self.refusal)")
        #expect(try w.autolandCount() == 1, "nothing landed")

        try w.writeGroups(sheriff: AutolandLandingWorld.me)
        try w.world.wptsync(["autoland", "land", "\(queued.id)"])
        #expect(lando.jobs.count == 2, "the sheriff's landing submits it once more")
        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(landed.state.phase == .landed && lando.jobs.map(\.status) == [.failed, .landed], "\(landed.state)")
        #expect(try w.autolandCommit().node == landed.state.landedNode)
    }

    @Test func aCancelledJobGoesToTheSheriffs() throws {
        let (w, lando) = try submitted("git-try-lando-cancelled")
        #expect(lando.cancel(job: 1))
        _ = try expectQueuedOnce(w, lando, reason: "Lando job 1 CANCELLED")
        #expect(try w.autolandCount() == 1, "nothing landed")
    }
}
