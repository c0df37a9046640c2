import Foundation
import SyncCore

extension LocalTaskcluster {
    /// `scheduleTryPush` for a try commit's `try_task_config.json` (version 2), as Gecko's
    /// decision task reads it: the wpt tasks report the paths of
    /// `parameters.try_task_config.env.MOZHARNESS_TEST_PATHS` (a JSON string) under keys starting
    /// with `web-platform-tests`, and with `rebuild` each platform's wpt task is made that many
    /// times under one label (scripted results then differ from one copy to the next).
    /// - Throws: `LocalServiceError.io` naming what is wrong with the file.
    @discardableResult
    public func scheduleTryPush(project: String = "try", revision: String, tryTaskConfig: [UInt8],
                                platforms: [TryPlatform]? = nil) throws(LocalServiceError) -> ScheduledTryPush {
        scheduleTryPush(project: project, revision: revision, platforms: platforms, tests: try Self.testPaths(tryTaskConfig: tryTaskConfig),
                        rebuild: try Self.rebuild(tryTaskConfig: tryTaskConfig))
    }

    /// How many times a `try_task_config.json` (version 2) runs each test task: its
    /// `parameters.try_task_config.rebuild`, 1 when absent.
    public static func rebuild(tryTaskConfig: [UInt8]) throws(LocalServiceError) -> Int {
        let root = (try? JSONSerialization.jsonObject(with: Data(tryTaskConfig))) as? [String: Any]
        let config = (root?["parameters"] as? [String: Any])?["try_task_config"] as? [String: Any]
        guard let value = config?["rebuild"] else { return 1 }
        guard let count = value as? Int, TryTaskConfig.rebuildRange.contains(count) else {
            throw .io("try_task_config.json: rebuild is not a whole number from 2 to 20")
        }
        return count
    }

    /// The web-platform-tests paths a `try_task_config.json` (version 2) selects, as Gecko's decision task reads them.
    public static func testPaths(tryTaskConfig: [UInt8]) throws(LocalServiceError) -> [String] {
        func fail(_ why: String) -> LocalServiceError { .io("try_task_config.json: \(why)") }
        guard let root = (try? JSONSerialization.jsonObject(with: Data(tryTaskConfig))) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard root["version"] as? Int == 2 else { throw fail("version is not 2") }
        let config = (root["parameters"] as? [String: Any])?["try_task_config"] as? [String: Any]
        guard let config else { throw fail("no parameters.try_task_config") }
        guard let env = config["env"] as? [String: Any], let text = env["MOZHARNESS_TEST_PATHS"] else { return [] }
        guard let string = text as? String,
              let paths = (try? JSONSerialization.jsonObject(with: Data(string.utf8))) as? [String: [String]] else {
            throw fail("env.MOZHARNESS_TEST_PATHS is not a JSON string of {suite: [paths]}")
        }
        return paths.filter { $0.key.hasPrefix("web-platform-tests") }.sorted { $0.key < $1.key }.flatMap(\.value)
    }
}

extension QueueStore {
    /// `/_control/…`, for a process that does not hold the `LocalTaskcluster` (a repository hook,
    /// a benchmark script): `POST /_control/try-push` with `{"project"?, "revision",
    /// "try_task_config"}` answers the scheduled push as `{"decisionTaskId", "pushId",
    /// "wptTasks": [{"taskId", "label", "platform"}]}`; `POST /_control/task/<id>/state` with
    /// `{"state", "reason"?}` moves a task.
    func control(_ route: [String], _ request: ServerRequest, _ state: inout QueueState) -> ServerReply {
        guard request.method == "POST" else { return Self.error(405, "MethodNotAllowed", "control requests are POSTs", request) }
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        switch route {
        case ["try-push"]:
            guard let revision = body?["revision"] as? String, let config = body?["try_task_config"],
                  let bytes = try? JSONSerialization.data(withJSONObject: config) else {
                return Self.error(400, "InputValidationError", "expected {\"revision\", \"try_task_config\"}", request)
            }
            let tests: [String], rebuild: Int
            do {
                tests = try LocalTaskcluster.testPaths(tryTaskConfig: Array(bytes))
                rebuild = try LocalTaskcluster.rebuild(tryTaskConfig: Array(bytes))
            } catch {
                return Self.error(400, "InputValidationError", error.description, request)
            }
            let push = state.schedule(project: body?["project"] as? String ?? "try", revision: revision,
                                      platforms: platforms, tests: tests, author: "wptsync@mozilla.com", now: now(), rebuild: rebuild)
            return Self.json(201, .object([
                ("decisionTaskId", .string(push.decisionTaskID)), ("pushId", .int(push.pushID)),
                ("wptTasks", .array(push.wptTasks.map {
                    .object([("taskId", .string($0.taskID)), ("label", .string($0.label)), ("platform", .string($0.platform))])
                })),
            ]))
        case let route where route.count == 3 && route[0] == "task" && route[2] == "state":
            guard let name = body?["state"] as? String, let target = TaskState(rawValue: name) else {
                return Self.error(400, "InputValidationError", "expected {\"state\": one of \(TaskState.allCases.map(\.rawValue))}", request)
            }
            guard state.move(route[1], to: target, reason: body?["reason"] as? String, now: now()) else {
                return Self.error(409, "RequestConflict", "task \(route[1]) is unknown or already resolved", request)
            }
            return Self.json(200, .object([("status", Shapes.status(state.tasks[route[1]]!))]))
        default:
            return Self.error(404, "ResourceNotFound", "No such control endpoint: \(request.path)", request)
        }
    }
}

extension QueueState {
    /// See `LocalTaskcluster.scheduleTryPush`; each platform's wpt task is made `rebuild` times, with one label.
    mutating func schedule(project: String, revision: String, platforms: [TryPlatform], tests: [String],
                           author: String, now: Date, rebuild: Int = 1) -> ScheduledTryPush {
        let groupID = LocalTaskcluster.newTaskID()
        var decision = QueueStore.task(id: groupID, group: groupID, name: "Gecko Decision Task", kind: "decision-task",
                                       suite: nil, dependencies: [], platform: "gecko-decision", buildType: "opt",
                                       runInfo: nil, tests: [], now: now)
        decision.runs = [QueueRun(state: .completed, reasonCreated: "scheduled", reasonResolved: "completed",
                                  scheduled: now, started: now, resolved: now)]
        add(decision)
        index["gecko.v2.\(project).revision.\(revision).firefox.decision"] = groupID
        var wpt: [ScheduledTryPush.Task] = []
        var builds: [ScheduledTryPush.Task] = []
        for platform in platforms {
            let build = QueueStore.task(
                id: LocalTaskcluster.newTaskID(), group: groupID, name: "build-\(platform.name)/\(platform.buildType)", kind: "build",
                suite: nil, dependencies: [groupID], platform: platform.name, buildType: platform.buildType,
                runInfo: nil, tests: [], now: now)
            let copies = (0..<max(1, rebuild)).map { _ in QueueStore.task(
                id: LocalTaskcluster.newTaskID(), group: groupID, name: "test-\(platform.name)/\(platform.buildType)-web-platform-tests",
                kind: "test", suite: "web-platform-tests", dependencies: [groupID, build.taskID], platform: platform.name,
                buildType: platform.buildType, runInfo: platform.runInfo, tests: tests, now: now)
            }
            for task in [build] + copies {
                add(task)
                _ = move(task.taskID, to: .pending, reason: nil, now: now)
            }
            builds.append(.init(taskID: build.taskID, label: build.name, platform: platform.name))
            wpt += copies.map { .init(taskID: $0.taskID, label: $0.name, platform: platform.name) }
        }
        pushes.append(RecordedPush(id: pushes.count + 1, repository: project, revision: revision,
                                     author: author, timestamp: now, groupID: groupID))
        return ScheduledTryPush(decisionTaskID: groupID, pushID: pushes.count, builds: builds, wptTasks: wpt)
    }
}
