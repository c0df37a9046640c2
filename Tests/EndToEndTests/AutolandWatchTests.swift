#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// A level-3 user's try push with `--autoland`, recorded by the real hook; `wptsync process` then
/// watches its run on the local Treeherder and retriggers a failed job once on the local
/// Taskcluster, under a task id derived from the request, so no rerun clones it twice.
@Suite("Autoland watches the try run", .serialized)
struct AutolandWatchTests {
    let world: SyncWorld
    let tryRepo: String
    let queue: LocalTaskcluster
    let treeherder: LocalTreeherder

    init() throws {
        let dir = TempDir("autoland-watch")
        tryRepo = dir.sub("try")
        queue = try LocalTaskcluster()
        treeherder = try LocalTreeherder(taskcluster: queue)
        world = try SyncWorld(extraConfig: """

            [[gecko]]
            name = "try"
            path = "\(dir.sub("try"))"
            role = "try"

            [autoland]
            groups_file = "\(dir.sub("autoland-groups"))"
            treeherder_url = "\(treeherder.baseURL)"
            taskcluster_url = "\(queue.rootURL)"

            """, installHooks: false, dir: dir)
        try sh("hg", ["init", tryRepo])
        try world.gecko.hg(["push", "-q", tryRepo])
        try world.wptsync(["install-hooks", tryRepo])
        try writeFile(dir.sub("autoland-groups"), "alice@mozilla.com: active_scm_level_3\n")
    }

    /// Pushes a fix and a try commit asking for autoland, processes it, and schedules its run
    /// with the first wpt task failed and every other task completed.
    func pushAndFailOneJob() throws -> (tip: String, group: String, failed: ScheduledTryPush.Task) {
        try world.gecko.write("dom/base/Document.cpp", "int y;\n")
        try world.gecko.commit("Bug 7 - Fix r=bob")
        try world.gecko.write("try_task_config.json", "{}\n")
        let tip = try world.gecko.commit("try: -b o --autoland")
        try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": "alice@mozilla.com"])
        try world.wptsync(["process"])
        #expect(try request()?.state.phase == .watching, "no push in Treeherder yet: still watching")
        let push = queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
        let failed = try #require(push.wptTasks.first)
        queue.setState(failed.taskID, .failed)
        queue.resolveAll(group: push.decisionTaskID)
        return (tip, push.decisionTaskID, failed)
    }

    func request() throws -> AutolandRequest? { try SQLiteJournal(path: world.store).autolandRequests(phases: nil).first }

    func clones(_ run: (tip: String, group: String, failed: ScheduledTryPush.Task)) -> [LocalTaskSnapshot] {
        queue.tasks(group: run.group).filter { $0.label == run.failed.label && $0.taskID != run.failed.taskID }
    }

    @Test func aFailedJobIsRetriggeredOnceAndItsPassLandsTheRequest() throws {
        let run = try pushAndFailOneJob()
        let output = try world.wptsync(["process", "--verbose"])
        #expect(clones(run).count == 1, "one retrigger")
        #expect(try request()?.state.retriggers == [run.failed.label: 1])
        #expect((try String(contentsOfFile: world.log, encoding: .utf8) + output).contains("retriggered \(run.failed.label) as \(clones(run)[0].taskID)"))

        // Processed again while the clone runs: nothing new.
        try world.wptsync(["process"])
        let phase = try request()?.state.phase
        #expect(clones(run).count == 1 && phase == .watching)

        // The save after the retrigger lost (a crash): the same task id again, which the queue already has.
        let journal = try SQLiteJournal(path: world.store)
        var lost = try #require(try request())
        lost.state.retriggers = [:]
        _ = try journal.save(lost)
        try world.wptsync(["process"])
        #expect(clones(run).count == 1, "no second clone after the lost save: Treeherder lists the first")

        queue.setState(clones(run)[0].taskID, .completed)
        try world.wptsync(["process"])
        let passed = try #require(try request())
        #expect(passed.state.phase == .landed && passed.state.failedJobs.isEmpty, "the passed run lands at once (AutolandLandingTests)")
        #expect(try String(contentsOfFile: world.log, encoding: .utf8).contains("autoland request #\(passed.id): the try run passed; to land on autoland"))
    }

    @Test func aRetriggerThatFailsAgainQueuesTheRequestNamingTheJob() throws {
        let run = try pushAndFailOneJob()
        try world.wptsync(["process"])
        let clone = try #require(clones(run).first)
        queue.setState(clone.taskID, .failed)
        try world.wptsync(["process"])
        let queued = try #require(try request())
        #expect(queued.state.phase == .queued)
        #expect(queued.state.failedJobs.map(\.taskID) == [clone.taskID] && queued.state.failedJobs.map(\.result) == ["testfailed"])
        #expect(queued.comments.last == "Autoland: \(run.failed.label) failed again after retrigger; the request waits for a sheriff.")
        #expect(clones(run).count == 1, "retriggered once only")

        let listed = try world.wptsync(["autoland", "list", "--state", "queued"])
        #expect(listed == "autoland \(queued.id) queued: try \(run.tip.prefix(12)) by alice@mozilla.com, 1 changeset(s) for autoland, bug 7, "
                + "retriggered \(run.failed.label) ×1, 1 job(s) failed again after retrigger\n")
        #expect(try world.wptsync(["autoland", "list", "--state", "landed"]).isEmpty)
        let shown = try world.wptsync(["autoland", "show", "\(queued.id)"])
        #expect(shown.contains("  failed again: \(run.failed.label) (job ") && shown.contains("task \(clone.taskID), testfailed)"))
        let json = try world.wptsync(["autoland", "show", "\(queued.id)", "--json"])
        #expect(json.contains("\"phase\":\"queued\"") && json.contains("\"failed_jobs\":[{") && json.contains("\"task_id\":\"\(clone.taskID)\""), "\(json)")
        let unknown = try world.wptsyncResult(["autoland", "show", "99"])
        #expect(unknown.status != 0 && unknown.stderrString.contains("no autoland request 99"))
    }

    @Test func treeherderDownLeavesTheRequestWatching() throws {
        _ = try pushAndFailOneJob()
        treeherder.failNext(100)
        _ = try world.wptsyncResult(["process"])
        let waiting = try #require(try request())
        #expect(waiting.state.phase == .watching && waiting.state.retriggers.isEmpty)
        let log = try String(contentsOfFile: world.log, encoding: .utf8)
        #expect(log.contains("periodic task failed") && log.contains("503"), "the failure is logged and the next poll tries again")
    }
    /// A worker asked to stop (SIGTERM) while Treeherder does not answer its watch ends at once,
    /// not after the request's 30 s timeout and retries, and leaves the request watching.
    @Test func aStoppingWorkerDoesNotWaitForTreeherder() throws {
        _ = try pushAndFailOneJob()
        treeherder.injectFault(.hang, count: 100, method: "GET", pathPrefix: "/api/project/try/push/")
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        defer { worker.send(SIGKILL) }
        try #require(waitUntil(limit: 60) { queue.requests.contains { $0.path.hasPrefix("/api/project/try/push/") && $0.status == 0 } },
                     "\(worker.output)")
        worker.send(SIGTERM)
        // Treeherder's requests time out after 60 s: a worker that waited for the hanging one would not be done by 30.
        #expect(TreeherderClient(baseURL: treeherder.baseURL).timeout > .seconds(30))
        #expect(worker.waitForExit(limit: 30) == 0, "the worker waited for Treeherder: \(worker.output)")
        #expect(try request()?.state.phase == .watching)
    }
}
