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
/// Bugzilla's bug. The scenarios run on both kinds of Gecko (git: try is a branch pushed with
/// `git push try +HEAD:try`).
@Suite("Autoland lands, rejects and defers", .serialized)
struct AutolandLandingTests {
    @Test(arguments: GeckoKind.allCases)
    func aPassingRunLandsOnTheTreesTipWithTheAuthorAndMessageAndCommentsOnce(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-landing-\(gecko)", geckoKind: gecko)
        let other = try w.landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .completed)
        try w.world.wptsync(["process"])

        let landed = try w.request()
        #expect(landed.state.phase == .landed)
        #expect(landed.nodes == [pushed.fix], "the try commit is not asked to land")
        let tip = try w.autolandCommit()
        let node = tip.node
        #expect(landed.state.landedNode == node)
        #expect(tip.author == AutolandLandingWorld.author && tip.message == "Bug \(w.bug) - Fix the document r=bob"
                && tip.date == "1700000000 -3600" && tip.parent == other,
                "rebased onto the tree's tip, author, message and date kept: \(tip)")
        #expect(tip.files == ["dom/base/Document.cpp"], "the try commit is not landed")
        #expect(try w.autolandFile("dom/base/Document.cpp") + w.autolandFile("layout/other.cpp") == "int y;\nother\n")
        let landedComments = w.comments.filter { $0.hasPrefix("Autoland landed this on autoland as \(node).") }
        #expect(landedComments.count == 1 && landedComments[0].contains("autoland request #\(landed.id): try push \(pushed.tip.prefix(12)) by alice@mozilla.com"),
                "\(w.comments)")

        // Processed again, or after losing the record of the comment: nothing lands or is posted twice.
        var lost = landed
        lost.postedComments = 0
        _ = try SQLiteJournal(path: w.world.store).save(lost)
        try w.world.wptsync(["process"])
        #expect(try w.autolandCommit().node == node && w.comments.filter { $0.hasPrefix("Autoland landed") }.count == 1)
        #expect(try w.request().unpostedComments.isEmpty)
        let shown = try w.world.wptsync(["autoland", "show", "\(landed.id)"])
        #expect(shown.contains("decided ") && shown.contains(" by autoland: landed"), "\(shown)")
    }

    @Test(arguments: GeckoKind.allCases)
    func aCrashAfterThePushIsRecognisedAndNothingLandsTwice(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-crash-push-\(gecko)", geckoKind: gecko)
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
        #expect(try w.autolandCommit().node == node && w.autolandCount() == 3, "one changeset landed, once")
        #expect(node != pushed.fix)
    }

    @Test func aLostPushRaceIsRebuiltOnTheNewTipAndPushedAgain() throws {
        let w = try AutolandLandingWorld("autoland-race")
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

    @Test(arguments: GeckoKind.allCases)
    func aChangeThatNoLongerAppliesIsRejectedNamingTheFile(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-conflict-\(gecko)", geckoKind: gecko)
        let pushed = try w.pushToTry("int y;\n")
        try w.landOnAutoland("dom/base/Document.cpp", "int z;\n")
        let tipBefore = try w.autolandCommit().node
        try w.passRun(pushed.tip)

        let rejected = try w.request()
        #expect(rejected.state.phase == .rejected)
        #expect(rejected.state.reason == "no longer applies to autoland: conflicts in dom/base/Document.cpp")
        #expect(try w.autolandCommit().node == tipBefore, "nothing pushed")
        #expect(w.comments.contains { $0.hasPrefix("Autoland could not land this: it no longer applies to autoland (conflicting files: dom/base/Document.cpp).") },
                "\(w.comments)")
    }

    /// Try is reset from time to time: a request whose changesets went with it cannot land, and says so.
    @Test func aRequestWhoseChangesetsWereStrippedFromTryIsRejectedOnce() throws {
        let w = try AutolandLandingWorld("autoland-stripped")
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

    @Test(arguments: GeckoKind.allCases)
    func aClosedTreeDefersTheLandingUntilItReopens(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-closed-\(gecko)", geckoKind: gecko)
        w.treestatus.set("autoland", status: "closed", reason: "bustage")
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        let waiting = try w.request()
        #expect(waiting.state.phase == .landing && waiting.state.reason == "autoland is closed: bustage")
        #expect(try w.autolandCount() == 1, "nothing landed while closed")

        try w.world.wptsync(["process"])
        #expect(try w.request().version == waiting.version, "still closed: nothing to save")

        w.treestatus.set("autoland", status: "open")
        try w.world.wptsync(["process"])
        #expect(try w.request().state.phase == .landed)
        #expect(try w.autolandCommit().message == "Bug \(w.bug) - Fix the document r=bob")
    }
}
