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
/// applies, defers while Treestatus says closed, and queues for the sheriffs what fails again;
/// every decision is a comment on the local Bugzilla's bug.
@Suite("Autoland lands, rejects, defers and queues", .serialized)
struct AutolandLandingTests {
    let world: SyncWorld
    let tryRepo: String
    let queue: LocalTaskcluster
    let treeherder: LocalTreeherder
    let treestatus: LocalTreestatus
    let bugzilla: LocalBugzilla
    let bug: Int
    static let author = "Dana Developer <dana@example.com>"

    init() throws {
        let dir = TempDir("autoland-landing")
        tryRepo = dir.sub("try")
        queue = try LocalTaskcluster()
        treeherder = try LocalTreeherder(taskcluster: queue)
        treestatus = try LocalTreestatus(trees: ["autoland"])
        bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs"])
        try writeFile(dir.sub("bugzilla-key"), "bot-key\n")
        world = try SyncWorld(extraConfig: """

            [[gecko]]
            name = "try"
            path = "\(dir.sub("try"))"
            role = "try"

            [autoland]
            groups_file = "\(dir.sub("autoland-groups"))"
            treeherder_url = "\(treeherder.baseURL)"
            taskcluster_url = "\(queue.rootURL)"
            treestatus_url = "http://127.0.0.1:\(treestatus.port)/trees"
            bugzilla_url = "\(bugzilla.restURL)"
            bugzilla_api_key_file = "\(dir.sub("bugzilla-key"))"

            """, installHooks: false, dir: dir)
        try sh("hg", ["init", tryRepo])
        try world.gecko.hg(["push", "-q", tryRepo])
        try world.wptsync(["install-hooks", tryRepo])
        try writeFile(dir.sub("autoland-groups"), """
            alice@mozilla.com: active_scm_level_3
            carol@mozilla.com: active_scm_level_1
            sam: sheriffs active_scm_level_3

            """)
        bug = try BugzillaClient(restURL: bugzilla.restURL, apiKey: Token("bot-key"))
            .createBug(NewBug(product: "Testing", component: "web-platform-tests", summary: "Fix the document", description: "d"))
    }

    /// Commits a fix of `Document.cpp` by `author` and a try commit asking for autoland, pushes
    /// both to try as `user`, and processes the push.
    func pushToTry(_ contents: String = "int y;\n", user: String = "alice@mozilla.com") throws -> (fix: String, tip: String) {
        try world.gecko.write("dom/base/Document.cpp", contents)
        let fix = try world.gecko.commit("Bug \(bug) - Fix the document r=bob", date: "1700000000 -3600", user: Self.author)
        try world.gecko.write("try_task_config.json", "{}\n")
        let tip = try world.gecko.commit("try: -b o --autoland")
        try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": user])
        try world.gecko.hg(["update", "-q", "-r", "0"])
        try world.wptsync(["process"])
        return (fix, tip)
    }

    /// Lands a change on autoland directly (another developer), from the initial import.
    @discardableResult
    func landOnAutoland(_ path: String, _ contents: String) throws -> String {
        try world.gecko.hg(["update", "-q", "-r", "0"])
        try world.gecko.write(path, contents)
        let node = try world.gecko.commit("Bug 99 - Something else r=eve")
        try world.gecko.hg(["push", "-q", "-f", "-r", node, world.autoland])
        try world.gecko.hg(["update", "-q", "-r", "0"])
        return node
    }

    /// Schedules the try run with its first wpt task failed, and processes until it is retriggered.
    func failOnceAndRetrigger(_ tip: String) throws -> (group: String, failed: ScheduledTryPush.Task) {
        let push = queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
        let failed = try #require(push.wptTasks.first)
        queue.setState(failed.taskID, .failed)
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])
        return (push.decisionTaskID, failed)
    }

    func retrigger(_ run: (group: String, failed: ScheduledTryPush.Task)) throws -> LocalTaskSnapshot {
        try #require(queue.tasks(group: run.group).first { $0.label == run.failed.label && $0.taskID != run.failed.taskID })
    }

    func request() throws -> AutolandRequest { try #require(try SQLiteJournal(path: world.store).autolandRequests(phases: nil).first) }

    func autoland(_ template: String, _ revision: String = "tip") throws -> String {
        try sh("hg", ["log", "-R", world.autoland, "-r", revision, "-T", template])
    }

    var comments: [String] { bugzilla.bug(bug)?.comments ?? [] }

    @Test func aPassingRunLandsOnTheTreesTipWithTheAuthorAndMessageAndCommentsOnce() throws {
        let other = try landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try pushToTry()
        let run = try failOnceAndRetrigger(pushed.tip)
        queue.setState(try retrigger(run).taskID, .completed)
        try world.wptsync(["process"])

        let landed = try request()
        #expect(landed.state.phase == .landed)
        let node = try autoland("{node}")
        #expect(landed.state.landedNode == node)
        #expect(try autoland("{author}\n{desc}\n{date|hgdate}\n{p1.node}") == "\(Self.author)\nBug \(bug) - Fix the document r=bob\n1700000000 -3600\n\(other)",
                "rebased onto the tree's tip, author, message and date kept")
        #expect(try autoland("{files}") == "dom/base/Document.cpp", "the try commit is not landed")
        #expect(try sh("hg", ["cat", "-r", "tip", "dom/base/Document.cpp", "layout/other.cpp"], in: world.autoland) == "int y;\nother\n")
        let landedComments = comments.filter { $0.hasPrefix("Autoland landed this on autoland as \(node).") }
        #expect(landedComments.count == 1 && landedComments[0].contains("autoland request #\(landed.id): try push \(pushed.tip.prefix(12)) by alice@mozilla.com"),
                "\(comments)")

        // Processed again, or after losing the record of the comment: nothing lands or is posted twice.
        var lost = landed
        lost.postedComments = 0
        _ = try SQLiteJournal(path: world.store).save(lost)
        try world.wptsync(["process"])
        #expect(try autoland("{node}") == node && comments.filter { $0.hasPrefix("Autoland landed") }.count == 1)
        #expect(try request().unpostedComments.isEmpty)
        let shown = try world.wptsync(["autoland", "show", "\(landed.id)"])
        #expect(shown.contains("decided ") && shown.contains(" by autoland: landed"), "\(shown)")
    }

    @Test func aCrashAfterThePushIsRecognisedAndNothingLandsTwice() throws {
        // The tree moved since the try push, so the landed commit is not the try push's own changeset.
        try landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try pushToTry()
        let push = queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])
        let landed = try request()
        let node = try #require(landed.state.landedNode)
        // As if the worker died after the push, before saving: the request still says landing, with the tip it built.
        var crashed = landed
        crashed.state = AutolandState(phase: .landing, attemptNode: node)
        _ = try SQLiteJournal(path: world.store).save(crashed)
        try world.wptsync(["process"])
        #expect(try request().state.phase == .landed && request().state.landedNode == node)
        #expect(try autoland("{node}") == node && autoland("{rev}") == "2", "one changeset landed, once")
        #expect(node != pushed.fix)
    }

    @Test func aLostPushRaceIsRebuiltOnTheNewTipAndPushedAgain() throws {
        // Someone else's commit, pushed to autoland by a hook of wptsync's clone just before its first push.
        let racer = world.dir.sub("racer")
        try sh("hg", ["clone", "-q", world.autoland, racer])
        try writeFile(racer + "/layout/race.cpp", "race\n")
        try sh("hg", ["commit", "-q", "-A", "-m", "Bug 98 - Racing r=eve", "-u", "Eve <eve@example.com>"], in: racer)
        let race = try sh("hg", ["log", "-r", ".", "-T", "{node}"], in: racer)
        let clone = world.dir.sub("state/autoland-clones/autoland")
        try sh("hg", ["clone", "-q", "-U", world.autoland, clone])
        let marker = world.dir.sub("raced")
        try writeFile(world.dir.sub("race.sh"), "test -e \(marker) && exit 0\ntouch \(marker)\nhg push -q -R \(racer) \(world.autoland)\n")
        try writeFile(clone + "/.hg/hgrc", "[hooks]\npre-push = sh \(world.dir.sub("race.sh"))\n")

        let pushed = try pushToTry()
        let push = queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        queue.resolveAll(group: push.decisionTaskID)
        let output = try world.wptsync(["process", "--verbose"])
        #expect(FileManager.default.fileExists(atPath: marker), "the race happened")
        let landed = try request()
        #expect(landed.state.phase == .landed)
        #expect(try autoland("{node}") == landed.state.landedNode && autoland("{p1.node}") == race, "rebuilt on the racing commit")
        let log = try String(contentsOfFile: world.log, encoding: .utf8) + output
        #expect(log.contains("autoland request #\(landed.id): waits to land: push to autoland failed: lost a push race (attempt 1)"))
    }

    @Test func aChangeThatNoLongerAppliesIsRejectedNamingTheFile() throws {
        let pushed = try pushToTry("int y;\n")
        try landOnAutoland("dom/base/Document.cpp", "int z;\n")
        let tipBefore = try autoland("{node}")
        let push = queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])

        let rejected = try request()
        #expect(rejected.state.phase == .rejected)
        #expect(rejected.state.reason == "no longer applies to autoland: conflicts in dom/base/Document.cpp")
        #expect(try autoland("{node}") == tipBefore, "nothing pushed")
        #expect(comments.contains { $0.hasPrefix("Autoland could not land this: it no longer applies to autoland (conflicting files: dom/base/Document.cpp).") },
                "\(comments)")
    }

    @Test func aClosedTreeDefersTheLandingUntilItReopens() throws {
        treestatus.set("autoland", status: "closed", reason: "bustage")
        let pushed = try pushToTry()
        let push = queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])
        let waiting = try request()
        #expect(waiting.state.phase == .landing && waiting.state.reason == "autoland is closed: bustage")
        #expect(try autoland("{rev}") == "0", "nothing landed while closed")

        try world.wptsync(["process"])
        #expect(try request().version == waiting.version, "still closed: nothing to save")

        treestatus.set("autoland", status: "open")
        try world.wptsync(["process"])
        #expect(try request().state.phase == .landed)
        #expect(try autoland("{desc}") == "Bug \(bug) - Fix the document r=bob")
    }

    @Test func aRetriggerFailingAgainIsNotedAndQueuedAndASheriffLandsIt() throws {
        let pushed = try pushToTry()
        let run = try failOnceAndRetrigger(pushed.tip)
        let clone = try retrigger(run)
        queue.setState(clone.taskID, .failed)
        try world.wptsync(["process"])
        let queued = try request()
        #expect(queued.state.phase == .queued)
        let failed = try #require(queued.state.failedJobs.first)
        #expect(treeherder.notes(jobID: failed.jobID).map(\.text) == ["autoland held this push for the sheriffs: failed again after retrigger"])
        #expect(comments.contains { $0.hasPrefix("Autoland: \(run.failed.label) failed again after retrigger; the request waits for a sheriff.") })
        try world.wptsync(["process"])
        #expect(treeherder.notes(jobID: failed.jobID).count == 1, "noted once")

        // Not a sheriff: refused, nothing changes.
        world.environment = ["USER": "alice@mozilla.com", "SUDO_USER": "alice@mozilla.com"]
        let refused = try world.wptsyncResult(["autoland", "land", "\(queued.id)"])
        #expect(refused.status != 0 && refused.stderrString.contains("alice@mozilla.com may not decide on autoland requests: not a member (needs the group sheriffs)"))
        #expect(try request() == queued)

        world.environment = ["USER": "sam", "SUDO_USER": "sam"]
        let output = try world.wptsync(["autoland", "land", "\(queued.id)"])
        let landed = try request()
        #expect(landed.state.phase == .landed, "\(output)")
        #expect(try autoland("{node}") == landed.state.landedNode && autoland("{author}") == Self.author)
        #expect(comments.contains { $0.hasPrefix("A sheriff (sam) approved this autoland request: it lands on autoland.") })
        #expect(landed.audit?.map { "\($0.who) \($0.phase.rawValue)" } == ["autoland watching", "autoland queued", "sam landing", "autoland landed"])

        let again = try world.wptsyncResult(["autoland", "reject", "\(queued.id)", "--reason", "too late"])
        #expect(again.status != 0 && again.stderrString.contains("autoland request \(queued.id) is landed, not queued for a sheriff"))
    }

    @Test func aSheriffRejectsWithAReasonAndALevel1RequestIsRefusedOnTheBug() throws {
        let pushed = try pushToTry()
        let run = try failOnceAndRetrigger(pushed.tip)
        queue.setState(try retrigger(run).taskID, .failed)
        try world.wptsync(["process"])
        world.environment = ["USER": "sam", "SUDO_USER": "sam"]
        try world.wptsync(["autoland", "reject", "\(try request().id)", "--reason", "a real regression in wpt-1"])
        let rejected = try request()
        #expect(rejected.state.phase == .rejected && rejected.state.reason == "rejected by sam: a real regression in wpt-1")
        #expect(comments.contains { $0.hasPrefix("A sheriff (sam) rejected this autoland request: a real regression in wpt-1") })
        #expect(try autoland("{rev}") == "0")

        _ = try pushToTry("int w;\n", user: "carol@mozilla.com")
        let refused = try request()
        #expect(refused.state.phase == .refused && refused.requester == "carol@mozilla.com")
        #expect(comments.contains { $0.hasPrefix("Autoland refused this request: carol@mozilla.com is not in active_scm_level_3: no commit access level 3.") },
                "\(comments)")
    }
}
