import Foundation
import SyncCore

/// One run of a task, as the queue reports it.
struct QueueRun {
    var state: TaskState
    var reasonCreated: String
    var reasonResolved: String?
    var scheduled: Date
    var started: Date?
    var resolved: Date?
    /// Artifact name → content type and body.
    var artifacts: [String: (contentType: String, body: [UInt8])] = [:]
}

/// A task as the local queue holds it.
struct QueueTask {
    var taskID: String
    var groupID: String
    var name: String
    var kind: String
    var suite: String?
    var dependencies: [String]
    /// Treeherder's platform (`linux1804-64-qr`) and build type (`opt`, `debug`).
    var platform: String
    var buildType: String
    var runInfo: [String: RunInfoValue]?
    var tests: [String]
    /// The task definition as served by `GET /task/<id>`.
    var definition: [UInt8]
    var created: Date
    /// Empty while unscheduled.
    var runs: [QueueRun] = []

    var state: TaskState { runs.last?.state ?? .unscheduled }
}

/// A push known to the local Treeherder.
struct RecordedPush {
    var id: Int
    var repository: String
    var revision: String
    var author: String
    var timestamp: Date
    var groupID: String
}

/// Everything the local queue, index and Treeherder serve, under one mutex.
struct QueueState {
    var tasks: [String: QueueTask] = [:]
    /// Task ids in creation order: the order `listTaskGroup` pages through.
    var order: [String] = []
    /// Index namespace → task id.
    var index: [String: String] = [:]
    /// (group, label) → the results each successive resolved run of that label reports.
    var scripts: [String: [[WPTTestResult]]] = [:]
    /// (group, label) → how many runs of that label have taken a scripted result.
    var scriptUses: [String: Int] = [:]
    var artifactFaults: [String: ArtifactFault] = [:]
    var lostGroups: Set<String> = []
    var faults: [FaultRule] = []
    /// Faults of the Treeherder API, apart from the queue's.
    var treeherderFaults: [FaultRule] = []
    var pushes: [RecordedPush] = []
    /// Treeherder's job notes, in the order added.
    var notes: [LocalTreeherderNote] = []
    /// Treeherder's signed-in sessions by `sessionid` cookie.
    var treeherderSessions: [String: LocalTreeherderSession] = [:]
    var requests: [RecordedRequest] = []

    static func scriptKey(group: String, label: String) -> String { group + "\n" + label }

    /// Takes one use of the first fault rule that matches, removing rules that are used up.
    mutating func takeFault(method: String, path: String) -> Fault? {
        guard let index = faults.firstIndex(where: { $0.matches(method: method, path: path) }) else { return nil }
        faults[index].remaining -= 1
        let fault = faults[index].fault
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        return fault
    }

    func tasks(inGroup group: String) -> [QueueTask] {
        order.compactMap { tasks[$0] }.filter { $0.groupID == group }
    }

    mutating func add(_ task: QueueTask) {
        tasks[task.taskID] = task
        order.append(task.taskID)
    }

    /// Moves `taskID` to `state`: a first run is created if there is none; a resolved run takes
    /// its artifacts (the next scripted wpt results for its label). A resolved run does not
    /// change: false, as for an unknown task.
    mutating func move(_ taskID: String, to state: TaskState, reason: String?, now: Date) -> Bool {
        guard var task = tasks[taskID], !task.state.isResolved else { return false }
        if task.runs.isEmpty || state == .unscheduled {
            guard state != .unscheduled else { task.runs = []; tasks[taskID] = task; return true }
            task.runs.append(QueueRun(state: .pending, reasonCreated: "scheduled", scheduled: now))
        }
        var run = task.runs.removeLast()
        run.state = state
        if state == .running || state.isResolved { run.started = run.started ?? now }
        if state.isResolved {
            run.resolved = now
            run.reasonResolved = reason ?? (state == .exception ? "worker-shutdown" : state.rawValue)
            if state != .exception { run.artifacts = artifacts(for: task) }
        }
        task.runs.append(run)
        tasks[taskID] = task
        return true
    }

    /// Adds a pending run to a resolved task (`reasonCreated`: `retry` after an exception, `rerun`).
    mutating func addRun(_ taskID: String, reason: String, now: Date) -> Bool {
        guard var task = tasks[taskID], task.state.isResolved else { return false }
        task.runs.append(QueueRun(state: .pending, reasonCreated: reason, scheduled: now))
        tasks[taskID] = task
        return true
    }

    private mutating func artifacts(for task: QueueTask) -> [String: (contentType: String, body: [UInt8])] {
        var artifacts: [String: (contentType: String, body: [UInt8])] = [
            "public/logs/live_backing.log": ("text/plain; charset=utf-8", Array("[taskcluster] \(task.name)\n".utf8)),
        ]
        guard let runInfo = task.runInfo else { return artifacts }
        let key = Self.scriptKey(group: task.groupID, label: task.name)
        let script = scripts[key] ?? []
        let use = scriptUses[key, default: 0]
        scriptUses[key] = use + 1
        let results = script.isEmpty
            ? task.tests.map { WPTTestResult(test: $0, status: "OK") }
            : script[min(use, script.count - 1)]
        let report = WPTReport(runInfo: runInfo, timeStart: 0, timeEnd: 1000 * max(1, results.count), results: results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        artifacts[LocalTaskcluster.wptReportArtifact] = ("application/json", Array((try? encoder.encode(report)) ?? Data()))
        return artifacts
    }
}
