/// A Taskcluster task's state (`status.state`).
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case unscheduled, pending, running, completed, failed, exception

    /// Completed, failed or exception: the task will not change any more (unless rerun).
    public var isResolved: Bool { self == .completed || self == .failed || self == .exception }
}

/// What the try-run rules need to know about one task of a push's task group.
public struct TryTask: Sendable, Equatable {
    public var taskID: String
    /// `metadata.name`, the task's label (a retrigger has the same one).
    public var name: String
    /// `tags.kind`: `build`, `test`, `decision-task`, …
    public var kind: String?
    /// `extra.suite`: `web-platform-tests`, `web-platform-tests-reftest`, … for wpt tasks.
    public var suite: String?
    public var state: TaskState
    public var dependencies: [String]

    public init(taskID: String, name: String, kind: String? = nil, suite: String? = nil, state: TaskState, dependencies: [String] = []) {
        self.taskID = taskID
        self.name = name
        self.kind = kind
        self.suite = suite
        self.state = state
        self.dependencies = dependencies
    }

    /// A web-platform-tests task: its `extra.suite` starts with `web-platform-tests`.
    public var isWPT: Bool { suite?.hasPrefix("web-platform-tests") ?? false }
    public var isBuild: Bool { kind == "build" }
}

/// A task to clone with `createTask`, and how many clones to make.
public struct Retrigger: Sendable, Equatable {
    public var taskID: String
    public var name: String
    public var count: Int

    public init(taskID: String, name: String, count: Int) {
        self.taskID = taskID
        self.name = name
        self.count = count
    }
}

/// Where a try push's task group stands, decided from its task list alone.
public enum TryRunVerdict: Sendable, Equatable {
    /// Some task is pending or running, or unscheduled behind one that is.
    case running(waitingFor: Int)
    /// Results are usable.
    case complete
    /// The push tells nothing about the tests: rerun it rather than read results.
    case infrastructureFailure(reason: String)
}

/// The production service's rules for a try push's task group, as pure functions.
public enum TryRunState {
    /// Share of wpt tasks in `exception` above which the run is an infrastructure failure.
    public static let exceptionThreshold = 0.3

    /// The web-platform-tests tasks, in order.
    public static func wptTasks(_ tasks: [TryTask]) -> [TryTask] { tasks.filter(\.isWPT) }

    /// The tasks that are not done: pending, running, or unscheduled while one of their
    /// dependencies may still run. An unscheduled task whose dependencies are all resolved (for
    /// example behind a failed build) will never run and counts as done. Dependencies outside the
    /// list (cached tasks of other groups) count as resolved.
    public static func unfinished(_ tasks: [TryTask]) -> [TryTask] {
        let byID = Dictionary(tasks.map { ($0.taskID, $0) }, uniquingKeysWith: { first, _ in first })
        var done = Set(tasks.filter(\.state.isResolved).map(\.taskID))
        // An unscheduled task is done once all it waits for is done; repeat until nothing changes.
        var changed = true
        while changed {
            changed = false
            for task in tasks where task.state == .unscheduled && !done.contains(task.taskID) {
                if task.dependencies.allSatisfy({ done.contains($0) || byID[$0] == nil }) {
                    done.insert(task.taskID)
                    changed = true
                }
            }
        }
        return tasks.filter { !done.contains($0.taskID) }
    }

    /// Whether no task is pending or running (see `unfinished`).
    public static func isComplete(_ tasks: [TryTask]) -> Bool { unfinished(tasks).isEmpty }

    /// Why the run is an infrastructure failure, or nil: a build that failed (or ended in
    /// exception), more than 30% of wpt tasks in exception, or no wpt task at all.
    public static func infrastructureFailure(_ tasks: [TryTask]) -> String? {
        let failedBuilds = tasks.filter { $0.isBuild && ($0.state == .failed || $0.state == .exception) }
        if !failedBuilds.isEmpty {
            return "build failed: " + failedBuilds.map(\.name).joined(separator: ", ")
        }
        let wpt = wptTasks(tasks)
        guard !wpt.isEmpty else { return "no web-platform-tests task in the task group" }
        let exceptions = wpt.filter { $0.state == .exception }.count
        if Double(exceptions) > exceptionThreshold * Double(wpt.count) {
            return "\(exceptions) of \(wpt.count) web-platform-tests tasks ended in exception (more than 30%)"
        }
        return nil
    }

    /// The verdict: running until complete, then an infrastructure failure or complete.
    public static func verdict(_ tasks: [TryTask]) -> TryRunVerdict {
        let waiting = unfinished(tasks).count
        if waiting > 0 { return .running(waitingFor: waiting) }
        return infrastructureFailure(tasks).map { .infrastructureFailure(reason: $0) } ?? .complete
    }

    /// The failed wpt tasks to run again so that each label that failed has `runsPerFailure` tasks
    /// in all (retriggers keep the label): one entry per label, cloning its first failed task,
    /// with the number of clones still missing. Labels with no failed task, or enough tasks, are
    /// left alone.
    public static func retriggers(_ tasks: [TryTask], runsPerFailure: Int) -> [Retrigger] {
        var labels: [String] = []
        var byLabel: [String: [TryTask]] = [:]
        for task in wptTasks(tasks) {
            if byLabel[task.name] == nil { labels.append(task.name) }
            byLabel[task.name, default: []].append(task)
        }
        return labels.compactMap { label in
            let copies = byLabel[label]!
            guard let failed = copies.first(where: { $0.state == .failed }), copies.count < runsPerFailure else { return nil }
            return Retrigger(taskID: failed.taskID, name: label, count: runsPerFailure - copies.count)
        }
    }
}
