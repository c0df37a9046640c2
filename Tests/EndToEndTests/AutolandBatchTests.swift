import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// With `batch_seconds`, requests the sheriffs approve wait for the batch, which lands them in
/// one push in approval order; one that no longer applies is rejected on its bug (after waiting
/// for the next batch when it conflicts only with requests before it) and the others land; a closed tree holds the batch; a crash after the push lands nothing twice.
@Suite("Autoland batches", .serialized)
struct AutolandBatchTests {
    let w: AutolandLandingWorld
    init() throws { w = try AutolandLandingWorld("autoland-batch", extraConfig: "max_retriggers = 0\nbatch_seconds = 3600") }

    /// Records the first node of every push the integration repository takes, one line each.
    func countPushes() throws -> String {
        let log = w.world.dir.sub("autoland-pushes")
        let hgrc = w.world.autoland + "/.hg/hgrc"
        let before = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
        try writeFile(hgrc, before + "\n[hooks]\nchangegroup.count = echo $HG_NODE >> \(log)\n")
        return log
    }

    func pushes(_ log: String) -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func approvedRequestsLandInOnePushInApprovalOrderAndAConflictingOneIsRejected() throws {
        let a = try w.pushToTry("int y;\n")
        let b = try w.pushToTry("b\n", path: "layout/b.cpp")
        let c = try w.pushToTry("int z;\n")
        for tip in [a.tip, b.tip, c.tip] {
            let push = w.queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
            w.queue.setState(try #require(push.wptTasks.first).taskID, .failed)
            w.queue.resolveAll(group: push.decisionTaskID)
        }
        try w.world.wptsync(["process"])
        let journal = try SQLiteJournal(path: w.world.store)
        func request(_ tip: String) throws -> AutolandRequest { try #require(try journal.autolandRequest(repository: "try", tip: tip)) }
        #expect(try [a, b, c].map { try request($0.tip).state.phase } == [.queued, .queued, .queued])

        let log = try countPushes()
        let before = try w.autoland("{node}")
        try w.writeGroups(sheriff: AutolandLandingWorld.me)
        for pushed in [b, a, c] {
            let output = try w.world.wptsync(["autoland", "land", "\(try request(pushed.tip).id)"])
            #expect(try request(pushed.tip).state.phase == .batched, "\(output)")
        }
        #expect(try w.autoland("{node}") == before, "nothing lands before the batch")

        // A closed tree: the whole batch waits.
        w.treestatus.set("autoland", status: "closed", reason: "bustage")
        try w.world.wptsync(["process"])
        #expect(try [b, a, c].map { try request($0.tip).state } .allSatisfy { $0.phase == .batched && $0.reason == "autoland is closed: bustage" })
        #expect(try w.autoland("{node}") == before && pushes(log).isEmpty)

        w.treestatus.set("autoland", status: "open")
        try w.world.wptsync(["process"])
        // c conflicts with a, which lands before it: it waits, since a might not have landed.
        let waiting = try request(c.tip)
        #expect(waiting.state.phase == .batched
                && waiting.state.reason?.contains("it conflicts with requests landing before it in this batch") == true, "\(waiting.state)")
        // The next batch builds it on the tree's new tip, where it still conflicts: rejected.
        try w.world.wptsync(["process"])
        let (landedB, landedA, rejected) = (try request(b.tip), try request(a.tip), try request(c.tip))
        #expect(landedB.state.phase == .landed && landedA.state.phase == .landed)
        let nodeA = try #require(landedA.state.landedNode)
        #expect(try w.autoland("{node}") == nodeA)
        #expect(try w.autoland("{p1.node}") == landedB.state.landedNode, "landed in approval order: b, then a")
        #expect(try w.autoland("{p1.node}", "\(nodeA)~1") == before)
        #expect(pushes(log) == [landedB.state.landedNode], "one push for the batch")
        #expect(try sh("hg", ["cat", "-r", "tip", "dom/base/Document.cpp", "layout/b.cpp"], in: w.world.autoland) == "int y;\nb\n")
        #expect(rejected.state.phase == .rejected && rejected.state.reason == "no longer applies to autoland: conflicts in dom/base/Document.cpp")
        #expect(w.comments.contains {
            $0.hasPrefix("Autoland could not land this: it no longer applies to autoland (conflicting files: dom/base/Document.cpp).")
                && $0.contains("autoland request #\(rejected.id):")
        }, "\(w.comments)")
        #expect(w.comments.filter { $0.hasPrefix("Autoland landed this on autoland as") }.count == 2)
        #expect(rejected.audit?.last.map { "\($0.who) \($0.phase.rawValue)" } == "autoland rejected")

        // As if the worker died after the push, before saving: each request still batched with the tip it built.
        for landed in [landedB, landedA] {
            var crashed = landed
            crashed.state = AutolandState(phase: .batched, attemptNode: landed.state.landedNode, approvedAt: landed.state.approvedAt)
            _ = try journal.save(crashed)
        }
        try w.world.wptsync(["process"])
        #expect(try request(a.tip).state.landedNode == nodeA && request(b.tip).state.landedNode == landedB.state.landedNode)
        #expect(try w.autoland("{node}") == nodeA && pushes(log).count == 1, "nothing lands twice")
    }

    @Test func requestsBatchedBeforeBatchingIsSwitchedOffStillLand() throws {
        let a = try w.pushToTry("int y;\n")
        let push = w.queue.scheduleTryPush(project: "try", revision: a.tip, tests: ["/dom/a.html"])
        w.queue.setState(try #require(push.wptTasks.first).taskID, .failed)
        w.queue.resolveAll(group: push.decisionTaskID)
        try w.world.wptsync(["process"])
        let journal = try SQLiteJournal(path: w.world.store)
        let id = try #require(try journal.autolandRequest(repository: "try", tip: a.tip)).id
        try w.writeGroups(sheriff: AutolandLandingWorld.me)
        try w.world.wptsync(["autoland", "land", "\(id)"])
        #expect(try journal.autolandRequest(id: id)?.state.phase == .batched)

        let config = try String(contentsOfFile: w.world.config, encoding: .utf8)
        try writeFile(w.world.config, config.replacingOccurrences(of: "batch_seconds = 3600", with: "batch_seconds = 0"))
        try w.world.wptsync(["process"])
        let landed = try #require(try journal.autolandRequest(id: id))
        let tip = try w.autoland("{node}")
        #expect(landed.state.phase == .landed && landed.state.landedNode == tip, "\(landed.state)")
    }
}
