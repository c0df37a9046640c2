import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// A request whose retrigger fails again is noted in Treeherder and waits in the sheriff queue;
/// `wptsync autoland land|reject` decide on it, for members of the sheriff group only; a level-1
/// requester is refused on the bug.
@Suite("Autoland sheriff queue", .serialized)
struct AutolandSheriffTests {
    let w: AutolandLandingWorld
    init() throws { w = try AutolandLandingWorld("autoland-sheriff") }

    @Test func aRetriggerFailingAgainIsNotedAndQueuedAndASheriffLandsIt() throws {
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        let clone = try w.retrigger(run)
        w.queue.setState(clone.taskID, .failed)
        try w.world.wptsync(["process"])
        let queued = try w.request()
        #expect(queued.state.phase == .queued)
        let failed = try #require(queued.state.failedJobs.first)
        #expect(w.treeherder.notes(jobID: failed.jobID).map(\.text) == ["autoland held this push for the sheriffs: failed again after retrigger"])
        #expect(w.comments.contains { $0.hasPrefix("Autoland: \(run.failed.label) failed again after retrigger; the request waits for a sheriff.") })
        try w.world.wptsync(["process"])
        #expect(w.treeherder.notes(jobID: failed.jobID).count == 1, "noted once")

        // Not a sheriff: refused, nothing changes; naming a sheriff in USER or SUDO_USER (without
        // sudo's SUDO_UID for that account) does not help.
        let me = AutolandLandingWorld.me
        w.world.environment = ["USER": "sam", "SUDO_USER": "sam", "LOGNAME": "sam"]
        let refused = try w.world.wptsyncResult(["autoland", "land", "\(queued.id)"])
        #expect(refused.status != 0 && refused.stderrString.contains("\(me) may not decide on autoland requests: unknown to the access backend (needs the group sheriffs)"),
                "\(refused.stderrString)")
        #expect(try w.request() == queued)

        // The access backend cannot answer: fail closed, nothing changes.
        try w.writeGroups(sheriff: me)
        let groups = w.world.dir.sub("autoland-groups")
        try FileManager.default.moveItem(atPath: groups, toPath: groups + ".away")
        let closed = try w.world.wptsyncResult(["autoland", "land", "\(queued.id)"])
        #expect(closed.status != 0 && closed.stderrString.contains("\(me) may not decide on autoland requests: the access backend cannot answer: cannot read the groups file"))
        #expect(try w.request() == queued)
        try FileManager.default.moveItem(atPath: groups + ".away", toPath: groups)

        let output = try w.world.wptsync(["autoland", "land", "\(queued.id)"])
        let landed = try w.request()
        #expect(landed.state.phase == .landed, "\(output)")
        #expect(try w.autoland("{node}") == landed.state.landedNode && w.autoland("{author}") == AutolandLandingWorld.author)
        #expect(w.comments.contains { $0.hasPrefix("A sheriff (\(me)) approved this autoland request: it lands on autoland.") })
        #expect(landed.audit?.map { "\($0.who) \($0.phase.rawValue)" } == ["autoland watching", "autoland queued", "\(me) landing", "autoland landed"])

        let unknown = try w.world.wptsyncResult(["autoland", "land", "99"])
        #expect(unknown.status != 0 && unknown.stderrString.contains("no autoland request 99"))
        let noReason = try w.world.wptsyncResult(["autoland", "reject", "\(queued.id)", "--reason", " "])
        #expect(noReason.status != 0 && noReason.stderrString.contains("--reason must say why"))
        let again = try w.world.wptsyncResult(["autoland", "reject", "\(queued.id)", "--reason", "too late"])
        #expect(again.status != 0 && again.stderrString.contains("autoland request \(queued.id) is landed, not queued for a sheriff"))
    }

    @Test func aSheriffRejectsWithAReasonAndALevel1RequestIsRefusedOnTheBug() throws {
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .failed)
        try w.world.wptsync(["process"])
        let me = AutolandLandingWorld.me
        try w.writeGroups(sheriff: me)
        try w.world.wptsync(["autoland", "reject", "\(try w.request().id)", "--reason", "a real regression in wpt-1"])
        let rejected = try w.request()
        #expect(rejected.state.phase == .rejected && rejected.state.reason == "rejected by \(me): a real regression in wpt-1")
        #expect(w.comments.contains { $0.hasPrefix("A sheriff (\(me)) rejected this autoland request: a real regression in wpt-1") })
        #expect(try w.autoland("{rev}") == "0")

        _ = try w.pushToTry("int w;\n", user: "carol@mozilla.com")
        let refused = try w.request()
        #expect(refused.state.phase == .refused && refused.requester == "carol@mozilla.com")
        #expect(w.comments.contains { $0.hasPrefix("Autoland refused this request: carol@mozilla.com is not in active_scm_level_3: no commit access level 3.") },
                "\(w.comments)")
    }

    @Test func aNoteTreeherderRefusesDoesNotHoldTheRequestBack() throws {
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .failed)
        // Treeherder answers 403 to notes sent without credentials.
        w.treeherder.injectFault(.errorMessage(status: 403, message: "Authentication credentials were not provided."),
                                 count: 100, method: "POST", pathPrefix: "/api/project/try/note/")
        try w.world.wptsync(["process"])
        let queued = try w.request()
        #expect(queued.state.phase == .queued)
        #expect(w.comments.contains { $0.hasPrefix("Autoland: \(run.failed.label) failed again after retrigger; the request waits for a sheriff.") })
        #expect(queued.unpostedComments.isEmpty)
        let log = try String(contentsOfFile: w.world.log, encoding: .utf8)
        #expect(log.contains("autoland request #\(queued.id): Treeherder note not added: ") && log.contains("403"), "\(log.suffix(2000))")
    }

    @Test func aBugThatDoesNotExistIsNotCommentedAgainAndAgain() throws {
        _ = try w.pushToTry(user: "carol@mozilla.com", bug: 424242)
        let refused = try w.request()
        #expect(refused.state.phase == .refused && refused.bugs == [424242])
        #expect(refused.unpostedComments.isEmpty, "given up on the missing bug")
        let log = try String(contentsOfFile: w.world.log, encoding: .utf8)
        #expect(log.contains("autoland request #\(refused.id): bug 424242 not commented: "), "\(log.suffix(2000))")
        #expect(w.comments.count == 1, "only the bug's description")
    }
}
