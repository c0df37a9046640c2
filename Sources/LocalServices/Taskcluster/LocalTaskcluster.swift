import Foundation
import SyncCore

/// A local stand-in for Taskcluster's queue and index, for tests and `wptsync demo`, on 127.0.0.1.
///
/// The root URL is `rootURL`; the APIs are under `/api/queue/v1` and `/api/index/v1`, with
/// Taskcluster's shapes and error bodies (`{"code", "message", "requestInfo"}`). Artifacts answer
/// 303 to a blob URL on the same server, as the real queue redirects to its object store.
/// State lives in memory. `scheduleTryPush` stands for a try push's decision task;
/// `LocalTreeherder` serves the same tasks as Treeherder jobs. The control API is these methods,
/// and for other processes `POST /_control/try-push` and `/_control/task/<id>/state`.
public final class LocalTaskcluster: Sendable {
    /// The artifact the web-platform-tests tasks publish their results in.
    public static let wptReportArtifact = "public/test_info/wptreport.json"

    public let port: UInt16
    /// `http://127.0.0.1:<port>`: the `rootUrl` Taskcluster clients take.
    public var rootURL: String { "http://127.0.0.1:\(port)" }

    let store: QueueStore
    private let server: LoopbackServer

    /// Starts serving.
    /// - Parameters:
    ///   - pageSize: tasks per `listTaskGroup` page when the request gives no `limit` (the real
    ///     queue's is 1000; small here so that clients page).
    ///   - tokens: when not empty, `createTask` needs `Authorization: Bearer <one of them>`.
    ///   - platforms: what a try push runs web-platform-tests on.
    public init(pageSize: Int = 3, tokens: Set<String> = [], platforms: [TryPlatform] = TryPlatform.defaults,
                port: UInt16 = 0, now: @escaping @Sendable () -> Date = { Date() }) throws(LocalServiceError) {
        let store = QueueStore(pageSize: pageSize, tokens: tokens, platforms: platforms, now: now)
        server = try LoopbackServer(port: port) { store.handle($0) }
        store.rootURL = "http://127.0.0.1:\(server.port)"
        self.store = store
        self.port = server.port
    }

    deinit { server.stop() }

    /// Stops the server: ends hanging requests and waits for every connection thread. Idempotent.
    public func stop() { server.stop() }

    // MARK: Control API

    /// What a try push of `revision` creates, as Gecko's decision task would: the decision task
    /// (completed, indexed as `gecko.v2.<project>.revision.<revision>.firefox.decision`, its id
    /// also the task group's), and per platform (the configured ones by default) a build task and
    /// a web-platform-tests task that depends on it, both pending. Each wpt task reports `tests`
    /// (all OK) unless results are scripted with `scriptResults`. A Treeherder push is recorded
    /// for the revision.
    @discardableResult
    public func scheduleTryPush(project: String = "try", revision: String, platforms: [TryPlatform]? = nil,
                                tests: [String], author: String = "wptsync@mozilla.com", rebuild: Int = 1) -> ScheduledTryPush {
        store.state.withLock {
            $0.schedule(project: project, revision: revision, platforms: platforms ?? store.platforms, tests: tests,
                        author: author, now: store.now(), rebuild: rebuild)
        }
    }

    /// Scripts the results that successive resolved runs of the task labelled `label` in
    /// `group` report, across reruns and retriggers (`createTask` clones keep the label): the
    /// first run to resolve reports `runs[0]`, the next `runs[1]`, …; the last repeats.
    public func scriptResults(group: String, label: String, runs: [[WPTTestResult]]) {
        store.state.withLock { $0.scripts[QueueState.scriptKey(group: group, label: label)] = runs }
    }

    /// Moves a task to `state`: `running`, or resolved (`completed`, `failed`, `exception`, with
    /// Taskcluster's `reasonResolved`, e.g. `worker-shutdown`). A run that resolves completed or
    /// failed publishes its log and, for a wpt task, its `wptreport.json`. False for an unknown task
    /// or a resolved one (give it a new run with `addRun` first).
    @discardableResult
    public func setState(_ taskID: String, _ state: TaskState, reason: String? = nil) -> Bool {
        store.state.withLock { $0.move(taskID, to: state, reason: reason, now: store.now()) }
    }

    /// Gives a resolved task a new pending run, as the queue does after an exception (`retry`)
    /// or on `rerunTask` (`rerun`).
    @discardableResult
    public func addRun(_ taskID: String, reason: String = "retry") -> Bool {
        store.state.withLock { $0.addRun(taskID, reason: reason, now: store.now()) }
    }

    /// Resolves every unresolved task of `group` as `state`.
    public func resolveAll(group: String, as state: TaskState = .completed) {
        store.state.withLock { queue in
            for task in queue.tasks(inGroup: group) where !task.state.isResolved {
                _ = queue.move(task.taskID, to: state, reason: nil, now: store.now())
            }
        }
    }

    /// The tasks of `group`, in creation order (retriggers included).
    public func tasks(group: String) -> [LocalTaskSnapshot] {
        store.state.withLock { state in
            state.tasks(inGroup: group).map {
                LocalTaskSnapshot(taskID: $0.taskID, label: $0.name, kind: $0.kind, state: $0.state, runs: $0.runs.count)
            }
        }
    }

    /// Makes the next `count` requests matching `method` and `pathPrefix` (any when nil) fail with `fault`.
    public func injectFault(_ fault: Fault, count: Int = 1, method: String? = nil, pathPrefix: String? = nil) {
        store.state.withLock {
            $0.faults.append(FaultRule(fault: fault, remaining: count, method: method, pathPrefix: pathPrefix))
        }
    }

    /// Breaks `taskID`'s `wptreport.json` as `fault` says, whenever it is listed or fetched.
    public func breakArtifact(_ taskID: String, _ fault: ArtifactFault) {
        store.state.withLock { $0.artifactFaults[taskID] = fault }
    }

    /// Serves `taskID`'s `wptreport.json` as it was published again (undoes `breakArtifact`).
    public func repairArtifact(_ taskID: String) {
        store.state.withLock { _ = $0.artifactFaults.removeValue(forKey: taskID) }
    }

    /// Loses a task group: its listing and its tasks answer 404, while the index still finds its
    /// decision task (as after the queue expired it).
    public func loseTaskGroup(_ group: String) { store.state.withLock { _ = $0.lostGroups.insert(group) } }

    /// Every request received so far, in order, with the status answered (Treeherder's too).
    public var requests: [RecordedRequest] { store.state.withLock { $0.requests } }

    static func newTaskID() -> String { SlugID.make(from: withUnsafeBytes(of: UUID().uuid) { Array($0) }) }
}

/// A platform a try push runs web-platform-tests on, with the `run_info` its reports carry.
public struct TryPlatform: Sendable, Equatable {
    /// Treeherder's platform, e.g. `linux1804-64-qr`.
    public var name: String
    /// `opt` or `debug`.
    public var buildType: String
    public var runInfo: [String: RunInfoValue]

    public init(name: String, buildType: String, os: String, debug: Bool, processor: String = "x86_64", bits: Int = 64) {
        self.name = name
        self.buildType = buildType
        runInfo = ["os": .string(os), "debug": .bool(debug), "processor": .string(processor), "bits": .number(Double(bits))]
    }

    /// Linux opt and debug, Windows opt: the desktop platforms production's try pushes select.
    public static let defaults = [
        TryPlatform(name: "linux1804-64-qr", buildType: "opt", os: "linux", debug: false),
        TryPlatform(name: "linux1804-64-qr", buildType: "debug", os: "linux", debug: true),
        TryPlatform(name: "windows11-64-24h2", buildType: "opt", os: "win", debug: false),
    ]
}

/// What `scheduleTryPush` created.
public struct ScheduledTryPush: Sendable, Equatable {
    public struct Task: Sendable, Equatable {
        public var taskID: String
        public var label: String
        public var platform: String
    }
    /// Also the task group's id.
    public var decisionTaskID: String
    /// The push's id in the local Treeherder.
    public var pushID: Int
    public var builds: [Task]
    public var wptTasks: [Task]
}

/// A task as the control API reports it.
public struct LocalTaskSnapshot: Sendable, Equatable {
    public var taskID: String
    public var label: String
    public var kind: String
    public var state: TaskState
    public var runs: Int
}

/// How a task's `wptreport.json` is broken.
public enum ArtifactFault: Sendable, Equatable {
    /// Not published: absent from the listing, 404 when fetched.
    case missing
    /// Published with this body instead of the report (e.g. truncated JSON, an HTML error page).
    case wrongContent(String)
}
