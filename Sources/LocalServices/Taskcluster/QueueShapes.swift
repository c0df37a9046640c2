import Foundation
import SyncCore

/// Task definitions and statuses in the queue's JSON shapes.
enum Shapes {
    /// `status` of `GET /task/<id>/status`, `listTaskGroup` and `createTask`.
    static func status(_ task: QueueTask) -> JSON {
        let worker = workerType(task)
        return .object([
            ("taskId", .string(task.taskID)), ("provisionerId", .string("gecko-t")), ("workerType", .string(worker)),
            ("taskQueueId", .string("gecko-t/\(worker)")), ("schedulerId", .string("gecko-level-1")),
            ("projectId", .string("none")), ("taskGroupId", .string(task.groupID)),
            ("deadline", .string(timestamp(task.created.addingTimeInterval(86400)))),
            ("expires", .string(timestamp(task.created.addingTimeInterval(28 * 86400)))),
            ("retriesLeft", .int(5)), ("state", .string(task.state.rawValue)),
            ("runs", .array(task.runs.enumerated().map { runID, run in
                var members: [(String, JSON)] = [
                    ("runId", .int(runID)), ("state", .string(run.state.rawValue)),
                    ("reasonCreated", .string(run.reasonCreated)),
                ]
                if let reason = run.reasonResolved { members.append(("reasonResolved", .string(reason))) }
                if let started = run.started {
                    members += [("workerGroup", .string("local")), ("workerId", .string("local-\(runID)")),
                                ("takenUntil", .string(timestamp(started.addingTimeInterval(1200))))]
                }
                members.append(("scheduled", .string(timestamp(run.scheduled))))
                if let started = run.started { members.append(("started", .string(timestamp(started)))) }
                if let resolved = run.resolved { members.append(("resolved", .string(timestamp(resolved)))) }
                return .object(members)
            })),
        ])
    }

    /// The definition Gecko's decision task would create, as `GET /task/<id>` serves it.
    static func definition(taskID: String, group: String, name: String, kind: String, suite: String?,
                           dependencies: [String], platform: String, buildType: String, tests: [String], now: Date) -> JSON {
        let worker = kind == "test" ? "t-linux-docker" : (kind == "build" ? "b-linux" : "decision")
        var extra: [(String, JSON)] = [
            ("treeherder", .object([
                ("machine", .object([("platform", .string(platform))])),
                ("collection", .object([(buildType, .bool(true))])),
                ("symbol", .string(kind == "test" ? "wpt" : (kind == "build" ? "B" : "D"))),
                ("tier", .int(1)),
            ])),
        ]
        if let suite { extra.append(("suite", .string(suite))) }
        var env: [(String, JSON)] = []
        if !tests.isEmpty {
            let paths = JSON.object([("web-platform-tests", .array(tests.map(JSON.string)))]).serialized()
            env.append(("MOZHARNESS_TEST_PATHS", .string(paths)))
        }
        return .object([
            ("provisionerId", .string("gecko-t")), ("workerType", .string(worker)),
            ("taskQueueId", .string("gecko-t/\(worker)")), ("schedulerId", .string("gecko-level-1")),
            ("projectId", .string("none")), ("taskGroupId", .string(group)),
            ("dependencies", .array(dependencies.map(JSON.string))), ("requires", .string("all-completed")),
            ("routes", .array([.string("tc-treeherder.v2.try.\(taskID)")])), ("priority", .string("very-low")),
            ("retries", .int(5)), ("created", .string(timestamp(now))),
            ("deadline", .string(timestamp(now.addingTimeInterval(86400)))),
            ("expires", .string(timestamp(now.addingTimeInterval(28 * 86400)))),
            ("scopes", .array([])), ("payload", .object([("env", .object(env)), ("maxRunTime", .int(7200))])),
            ("metadata", .object([
                ("name", .string(name)), ("description", .string(name)),
                ("owner", .string("wptsync@mozilla.com")), ("source", .string("https://hg.mozilla.org/try")),
            ])),
            ("tags", .object([("kind", .string(kind)), ("label", .string(name))])),
            ("extra", .object(extra)),
        ])
    }

    private static func workerType(_ task: QueueTask) -> String {
        task.kind == "test" ? "t-linux-docker" : (task.kind == "build" ? "b-linux" : "decision")
    }
}

extension QueueStore {
    /// A task of a scheduled try push, unscheduled until moved.
    static func task(id: String, group: String, name: String, kind: String, suite: String?, dependencies: [String],
                     platform: String, buildType: String, runInfo: [String: RunInfoValue]?, tests: [String], now: Date) -> QueueTask {
        let definition = Shapes.definition(taskID: id, group: group, name: name, kind: kind, suite: suite,
                                           dependencies: dependencies, platform: platform, buildType: buildType,
                                           tests: tests, now: now)
        return QueueTask(taskID: id, groupID: group, name: name, kind: kind, suite: suite, dependencies: dependencies,
                         platform: platform, buildType: buildType, runInfo: runInfo, tests: tests,
                         definition: Array(definition.serialized().utf8), created: now)
    }

    /// `PUT /task/<taskId>`: a new pending task from the posted definition. Idempotent: the same
    /// definition again answers the same status; a different one 409. A clone of a task of the
    /// group (same `metadata.name`) reports like it, taking the label's next scripted results.
    func createTask(_ taskID: String, _ request: ServerRequest, _ state: inout QueueState) -> ServerReply {
        if !tokens.isEmpty {
            let credential = request.header("Authorization")?.split(separator: " ").last.map(String.init)
            guard let credential, tokens.contains(credential) else {
                return Self.error(403, "InsufficientScopes", "Client has insufficient scopes for createTask", request, method: "createTask")
            }
        }
        guard SlugID.isValid(taskID) else {
            return Self.error(400, "InvalidRequestArguments", "taskId `\(taskID)` is not a slugid", request, method: "createTask")
        }
        if let existing = state.tasks[taskID] {
            guard existing.definition == request.body else {
                return Self.error(409, "RequestConflict", "taskId \(taskID) already used by another task", request, method: "createTask")
            }
            return Self.json(200, .object([("status", Shapes.status(existing))]))
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        let metadata = object?["metadata"] as? [String: Any]
        let missing = [("taskGroupId", object?["taskGroupId"] is String), ("metadata.name", metadata?["name"] is String),
                       ("created", object?["created"] is String), ("deadline", object?["deadline"] is String)]
            .filter { !$0.1 }.map(\.0)
        guard let object, missing.isEmpty, let group = object["taskGroupId"] as? String, let name = metadata?["name"] as? String else {
            let what = object == nil ? "the body is not a JSON object" : "missing " + missing.joined(separator: ", ")
            return Self.error(400, "InputValidationError", "Invalid task definition: \(what)", request, method: "createTask")
        }
        let sibling = state.tasks(inGroup: group).first { $0.name == name }
        let task = QueueTask(
            taskID: taskID, groupID: group, name: name,
            kind: (object["tags"] as? [String: Any])?["kind"] as? String ?? sibling?.kind ?? "",
            suite: (object["extra"] as? [String: Any])?["suite"] as? String,
            dependencies: object["dependencies"] as? [String] ?? [],
            platform: sibling?.platform ?? "", buildType: sibling?.buildType ?? "opt",
            runInfo: sibling?.runInfo, tests: sibling?.tests ?? [], definition: request.body, created: now())
        state.add(task)
        _ = state.move(taskID, to: .pending, reason: nil, now: now())
        return Self.json(200, .object([("status", Shapes.status(state.tasks[taskID]!))]))
    }
}
