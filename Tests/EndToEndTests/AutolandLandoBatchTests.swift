import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// A batch landing through Lando: one job of all the batch's commits, in approval order, each
/// request's part recorded before it is sent and followed by its own commit message; requests
/// passed while the job waits go with the next batch; a lost answer submits nothing twice.
@Suite("Autoland batches through Lando", .serialized)
struct AutolandLandoBatchTests {
    /// Two requests (`Document.cpp`, then `layout/b.cpp`) whose runs pass, batched together.
    private func batch(_ name: String, lando prepare: (LocalLando) -> Void = { _ in }) throws -> (AutolandLandingWorld, LocalLando, [String]) {
        let w = try AutolandLandingWorld(name, extraConfig: "batch_seconds = 3600\nbatch = true", geckoKind: .git, lando: true)
        let lando = try #require(w.lando)
        prepare(lando)
        let a = try w.pushToTry("int y;\n", process: false)
        let b = try w.pushToTry("b\n", path: "layout/b.cpp", process: false)
        try w.world.wptsync(["process"])
        for tip in [a.tip, b.tip] {
            let push = w.queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
            w.queue.resolveAll(group: push.decisionTaskID)
        }
        try w.world.wptsync(["process"])
        return (w, lando, [a.tip, b.tip])
    }

    private func request(_ w: AutolandLandingWorld, _ tip: String) throws -> AutolandRequest {
        try #require(try SQLiteJournal(path: w.world.store).autolandRequest(repository: "try", tip: tip))
    }

    @Test func aBatchLandsAsOneLandoJobAndALaterRequestWaitsForTheNext() throws {
        let (w, lando, tips) = try batch("git-try-lando-batch")
        let before = try w.autolandCommit().node
        let submitted = try tips.map { try request(w, $0) }
        #expect(lando.jobs.count == 1 && lando.requests.filter { $0.method == "POST" }.count == 1, "one job for the batch")
        #expect(submitted.allSatisfy { $0.state.phase == .batched && $0.state.lando?.job == 1 }, "\(submitted.map(\.state))")
        #expect(submitted.map { $0.state.lando?.nodes.count } == [1, 2], "each request's part: its commits and those before it")
        #expect(try w.autolandCommit().node == before, "Lando has not run the job yet")

        // Passed while the job waits: it goes with the next batch.
        let c = try w.pushToTry("c\n", path: "layout/c.cpp")
        try w.passRun(c.tip)
        #expect(try request(w, c.tip).state.phase == .batched && request(w, c.tip).state.lando == nil && lando.jobs.count == 1)

        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let (a, b) = (try request(w, tips[0]), try request(w, tips[1]))
        #expect(a.state.phase == .landed && b.state.phase == .landed, "\(a.state) \(b.state)")
        let tipB = try w.autolandCommit()
        #expect(b.state.landedNode == tipB.node, "as Lando wrote it")
        // a and b share their message: a's part is its own commit, not b's.
        #expect(a.state.landedNode == tipB.parent, "\(a.state)")
        #expect(try w.autolandCommit(tipB.parent).parent == before, "both in one job, in approval order")
        #expect(try w.autolandFile("dom/base/Document.cpp") == "int y;\n" && w.autolandFile("layout/b.cpp") == "b\n")
        #expect(w.comments.filter { $0.hasPrefix("Autoland landed this on autoland as") }.count == 2, "\(w.comments)")

        #expect(try lando.jobs.count == 2 && request(w, c.tip).state.lando?.job == 2, "the next batch: c alone")
        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        #expect(try request(w, c.tip).state.phase == .landed && w.autolandFile("layout/c.cpp") == "c\n")
        #expect(lando.jobs.map(\.status) == [.landed, .landed])
    }

    /// The batch's two requests have the same message. Lando never took the job (its answer lost),
    /// and meanwhile someone lands another change with that message: neither request looks landed.
    @Test func anotherCommitWithTheSameMessageIsNotTakenForTheBatch() throws {
        let (w, lando, tips) = try batch("git-try-lando-batch-same-message") {
            $0.injectFault(.serverError(status: 502), method: "POST", pathPrefix: "/api/repo/")
        }
        #expect(lando.jobs.isEmpty)
        try w.git(["fetch", "-q", w.world.autoland, "refs/heads/autoland"])
        try w.git(["reset", "-q", "--hard", "FETCH_HEAD"])
        try w.commitInClone(["layout/same.cpp": "same\n"], message: "Bug \(w.bug) - Fix the document r=bob")
        try w.git(["push", "-q", w.world.autoland, "HEAD:refs/heads/autoland"])

        try w.world.wptsync(["process"])
        let waiting = try tips.map { try request(w, $0) }
        #expect(waiting.allSatisfy { $0.state.phase == .batched && $0.state.landedNode == nil && $0.state.reason?.contains("its answer was lost") == true },
                "\(waiting.map(\.state))")
        #expect(lando.requests.filter { $0.method == "POST" }.count == 1, "not submitted again while Lando may have taken it")
        #expect(!w.comments.contains { $0.hasPrefix("Autoland landed this") }, "\(w.comments)")
    }

    @Test func aBatchWhoseAnswerIsLostIsSubmittedOnce() throws {
        let (w, lando, tips) = try batch("git-try-lando-batch-lost") {
            $0.injectFault(.serverErrorAfterActing(status: 502), method: "POST", pathPrefix: "/api/repo/")
        }
        let waiting = try tips.map { try request(w, $0) }
        #expect(waiting.allSatisfy { $0.state.lando != nil && $0.state.lando?.job == nil && $0.state.reason?.contains("its answer was lost") == true },
                "\(waiting.map(\.state))")
        try w.world.wptsync(["process"])
        #expect(lando.jobs.count == 1, "not submitted again while Lando may have taken it")

        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let landed = try tips.map { try request(w, $0) }
        #expect(landed.allSatisfy { $0.state.phase == .landed } && lando.jobs.count == 1, "found on the branch, submitted once")
        #expect(try landed.last?.state.landedNode == w.autolandCommit().node && w.autolandCount() == 3)
    }
}
