import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Try pushes asking for autoland, recorded by the real hook on a try repository, whose runs the
/// local Treeherder and Taskcluster report: `wptsync process` lands the changesets on the
/// integration repository (rebased onto its tip, author and message kept), rejects what no longer
/// applies, and defers while Treestatus says closed; every decision is a comment on the local
/// Bugzilla's bug.
@Suite("Autoland lands, rejects and defers", .serialized)
struct AutolandLandingTests {
    let w: AutolandLandingWorld
    init() throws { w = try AutolandLandingWorld("autoland-landing") }

    @Test func aPassingRunLandsOnTheTreesTipWithTheAuthorAndMessageAndCommentsOnce() throws {
        let other = try w.landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .completed)
        try w.world.wptsync(["process"])

        let landed = try w.request()
        #expect(landed.state.phase == .landed)
        let node = try w.autoland("{node}")
        #expect(landed.state.landedNode == node)
        #expect(try w.autoland("{author}\n{desc}\n{date|hgdate}\n{p1.node}") == "\(AutolandLandingWorld.author)\nBug \(w.bug) - Fix the document r=bob\n1700000000 -3600\n\(other)",
                "rebased onto the tree's tip, author, message and date kept")
        #expect(try w.autoland("{files}") == "dom/base/Document.cpp", "the try commit is not landed")
        #expect(try sh("hg", ["cat", "-r", "tip", "dom/base/Document.cpp", "layout/other.cpp"], in: w.world.autoland) == "int y;\nother\n")
        let landedComments = w.comments.filter { $0.hasPrefix("Autoland landed this on autoland as \(node).") }
        #expect(landedComments.count == 1 && landedComments[0].contains("autoland request #\(landed.id): try push \(pushed.tip.prefix(12)) by alice@mozilla.com"),
                "\(w.comments)")

        // Processed again, or after losing the record of the comment: nothing lands or is posted twice.
        var lost = landed
        lost.postedComments = 0
        _ = try SQLiteJournal(path: w.world.store).save(lost)
        try w.world.wptsync(["process"])
        #expect(try w.autoland("{node}") == node && w.comments.filter { $0.hasPrefix("Autoland landed") }.count == 1)
        #expect(try w.request().unpostedComments.isEmpty)
        let shown = try w.world.wptsync(["autoland", "show", "\(landed.id)"])
        #expect(shown.contains("decided ") && shown.contains(" by autoland: landed"), "\(shown)")
    }

    @Test func aCrashAfterThePushIsRecognisedAndNothingLandsTwice() throws {
        // The tree moved since the try push, so the landed commit is not the try push's own changeset.
        try w.landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        let landed = try w.request()
        let node = try #require(landed.state.landedNode)
        // As if the worker died after the push, before saving: the request still says landing, with the tip it built.
        var crashed = landed
        crashed.state = AutolandState(phase: .landing, attemptNode: node)
        _ = try SQLiteJournal(path: w.world.store).save(crashed)
        try w.world.wptsync(["process"])
        #expect(try w.request().state.phase == .landed && w.request().state.landedNode == node)
        #expect(try w.autoland("{node}") == node && w.autoland("{rev}") == "2", "one changeset landed, once")
        #expect(node != pushed.fix)
    }

    @Test func aLostPushRaceIsRebuiltOnTheNewTipAndPushedAgain() throws {
        // Someone else's commit, pushed to autoland by a hook of wptsync's clone just before its first push.
        let racer = w.world.dir.sub("racer")
        try sh("hg", ["clone", "-q", w.world.autoland, racer])
        try writeFile(racer + "/layout/race.cpp", "race\n")
        try sh("hg", ["commit", "-q", "-A", "-m", "Bug 98 - Racing r=eve", "-u", "Eve <eve@example.com>"], in: racer)
        let race = try sh("hg", ["log", "-r", ".", "-T", "{node}"], in: racer)
        let clone = w.world.dir.sub("state/autoland-clones/autoland")
        try sh("hg", ["clone", "-q", "-U", w.world.autoland, clone])
        let marker = w.world.dir.sub("raced")
        try writeFile(w.world.dir.sub("race.sh"), "test -e \(marker) && exit 0\ntouch \(marker)\nhg push -q -R \(racer) \(w.world.autoland)\n")
        try writeFile(clone + "/.hg/hgrc", "[hooks]\npre-push = sh \(w.world.dir.sub("race.sh"))\n")

        let pushed = try w.pushToTry()
        let push = w.queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        w.queue.resolveAll(group: push.decisionTaskID)
        let output = try w.world.wptsync(["process", "--verbose"])
        #expect(FileManager.default.fileExists(atPath: marker), "the race happened")
        let landed = try w.request()
        #expect(landed.state.phase == .landed)
        #expect(try w.autoland("{node}") == landed.state.landedNode && w.autoland("{p1.node}") == race, "rebuilt on the racing commit")
        let log = try String(contentsOfFile: w.world.log, encoding: .utf8) + output
        #expect(log.contains("autoland request #\(landed.id): waits to land: push to autoland failed: lost a push race (attempt 1)"))
    }

    @Test func aChangeThatNoLongerAppliesIsRejectedNamingTheFile() throws {
        let pushed = try w.pushToTry("int y;\n")
        try w.landOnAutoland("dom/base/Document.cpp", "int z;\n")
        let tipBefore = try w.autoland("{node}")
        try w.passRun(pushed.tip)

        let rejected = try w.request()
        #expect(rejected.state.phase == .rejected)
        #expect(rejected.state.reason == "no longer applies to autoland: conflicts in dom/base/Document.cpp")
        #expect(try w.autoland("{node}") == tipBefore, "nothing pushed")
        #expect(w.comments.contains { $0.hasPrefix("Autoland could not land this: it no longer applies to autoland (conflicting files: dom/base/Document.cpp).") },
                "\(w.comments)")
    }

    /// Try is reset from time to time: a request whose changesets went with it cannot land, and says so.
    @Test func aRequestWhoseChangesetsWereStrippedFromTryIsRejectedOnce() throws {
        let pushed = try w.pushToTry()
        try sh("hg", ["--config", "extensions.strip=", "strip", "-q", "--no-backup", "-r", pushed.fix], in: w.tryRepo)
        let tipBefore = try w.autoland("{node}")
        try w.passRun(pushed.tip)

        let rejected = try w.request()
        #expect(rejected.state.phase == .rejected)
        #expect(rejected.state.reason == "its changesets are no longer in the try repository: \(pushed.fix.prefix(12))")
        #expect(try w.autoland("{node}") == tipBefore, "nothing pushed")
        try w.world.wptsync(["process"])
        #expect(try w.request().version == rejected.version)
        #expect(w.comments.filter { $0.hasPrefix("Autoland could not land this: the try repository no longer has its changesets") }.count == 1,
                "\(w.comments)")
    }

    @Test func aClosedTreeDefersTheLandingUntilItReopens() throws {
        w.treestatus.set("autoland", status: "closed", reason: "bustage")
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        let waiting = try w.request()
        #expect(waiting.state.phase == .landing && waiting.state.reason == "autoland is closed: bustage")
        #expect(try w.autoland("{rev}") == "0", "nothing landed while closed")

        try w.world.wptsync(["process"])
        #expect(try w.request().version == waiting.version, "still closed: nothing to save")

        w.treestatus.set("autoland", status: "open")
        try w.world.wptsync(["process"])
        #expect(try w.request().state.phase == .landed)
        #expect(try w.autoland("{desc}") == "Bug \(w.bug) - Fix the document r=bob")
    }
}
