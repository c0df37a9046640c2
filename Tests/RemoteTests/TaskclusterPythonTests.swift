import Foundation
import LocalServices
import RepoOps
import Testing

/// Mozilla's own Taskcluster client (`pip install taskcluster`) against the local queue and
/// index: findTask, listTaskGroup paged by hand and by its pagination handler, task, status,
/// artifact listings and the artifact through the 303 (skipped when the client is not installed).
@Suite("Local Taskcluster with the taskcluster Python client")
struct TaskclusterPythonTests {
    @Test(.enabled(if: taskclusterClientInstalled)) func theRealClientAcceptsTheQueueAndIndex() throws {
        let queue = try LocalTaskcluster()
        let revision = String(repeating: "9a", count: 20)
        let push = queue.scheduleTryPush(revision: revision, tests: ["/dom/a.html"])
        queue.setState(push.wptTasks[0].taskID, .completed)
        // One 503 first: the client retries server errors, as against the real queue.
        queue.injectFault(.serverError(status: 503), count: 1, pathPrefix: "/api/queue/v1/task-group/")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/taskcluster_against_local_queue.py").standardized.path
        let out = try ProcessRunner.run("python3", [script], extraEnvironment: [
            "LOCAL_TC_ROOT_URL": queue.rootURL, "LOCAL_TC_REVISION": revision,
            "LOCAL_TC_TASKS": String(queue.tasks(group: push.decisionTaskID).count),
            "LOCAL_TC_DONE_TASK": push.wptTasks[0].taskID,
        ])
        #expect(out.status == 0, "\(out.stdoutString)\(out.stderrString)")
        #expect(queue.requests.contains { $0.status == 503 } && queue.requests.contains { $0.status == 303 })
    }
}

let taskclusterClientInstalled = (try? ProcessRunner.run("python3", ["-c", "import taskcluster"]).status) == 0
