#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// A running worker with an autoland request whose Lando job has not landed: the job is read once
/// per pass, never waited for, so the worker goes on with other events; SIGTERM ends it even while
/// Lando does not answer; and the next run reads the job and lands the request.
@Suite("Autoland through Lando: the worker is never held", .serialized)
struct AutolandLandoWorkerTests {
    private func request(_ w: AutolandLandingWorld, _ tip: String) throws -> AutolandRequest? {
        try SQLiteJournal(path: w.world.store).autolandRequest(repository: "try", tip: tip)
    }

    @Test func aJobLandoHasNotRunHoldsNoOtherEventAndAStoppingWorkerDoesNotWaitForLando() throws {
        let w = try AutolandLandingWorld("git-try-lando-worker", extraConfig: "\n[worker]\npoll_seconds = 0.05\n", geckoKind: .git, lando: true)
        let lando = try #require(w.lando)
        let first = try w.pushToTry()
        try w.passRun(first.tip)
        #expect(try request(w, first.tip)?.state.lando?.job == 1 && lando.jobs.map(\.status) == [.submitted])

        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", w.world.config], in: w.world.dir.path,
                                        extraEnvironment: w.world.environment)
        defer { worker.send(SIGKILL) }
        try #require(waitUntil(limit: 60) { lando.requests.contains { $0.method == "GET" && $0.path == "/api/job/1" } }, "\(worker.output)")
        // Another try push while Lando has not run the job: the worker records its request at once.
        let second = try w.pushToTry("b\n", path: "layout/b.cpp", process: false)
        #expect(waitUntil(limit: 60) { (try? request(w, second.tip)) != nil }, "the worker is held by Lando job 1: \(worker.output)")
        let waiting = try #require(try request(w, first.tip))
        #expect(waiting.state.phase == .landing && waiting.state.reason == "waits for Lando: Lando job 1 (SUBMITTED)", "\(waiting.state)")

        // Lando stops answering: the worker still stops when asked, and the request is left as it was.
        lando.injectFault(.hang, method: "GET", pathPrefix: "/api/job/")
        try #require(waitUntil(limit: 60) { lando.requests.contains { $0.path == "/api/job/1" && $0.status == 0 } }, "\(worker.output)")
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
        #expect(try request(w, first.tip)?.state == waiting.state)

        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let landed = try #require(try request(w, first.tip))
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node, "\(landed.state)")
        #expect(lando.jobs.map(\.status) == [.landed], "submitted once")
    }
}
