import SyncCore

/// A task's status as the queue reports it (`GET /task/<id>/status`, `listTaskGroup`).
public struct TaskStatus: Sendable, Equatable, Decodable {
    public var taskId: String
    public var taskGroupId: String
    public var state: TaskState
    public var runs: [TaskRun]
}

/// One run of a task: reruns and automatic retries after an exception add runs.
public struct TaskRun: Sendable, Equatable, Decodable {
    public var runId: Int
    public var state: TaskState
    public var reasonCreated: String?
    /// `completed`, `failed`, `deadline-exceeded`, `worker-shutdown`, `malformed-payload`, …
    public var reasonResolved: String?
}

/// The parts of a task definition wptsync reads.
public struct TaskDefinition: Sendable, Equatable, Decodable {
    public struct Metadata: Sendable, Equatable, Decodable { public var name: String }
    public struct Extra: Sendable, Equatable, Decodable { public var suite: String? }

    public var taskGroupId: String
    public var dependencies: [String]?
    public var metadata: Metadata
    public var tags: [String: String]?
    public var extra: Extra?
}

/// One member of a task group listing.
public struct TaskGroupEntry: Sendable, Equatable, Decodable {
    public var status: TaskStatus
    public var task: TaskDefinition

    /// What the try-run rules (`TryRunState`) need.
    public var tryTask: TryTask {
        TryTask(taskID: status.taskId, name: task.metadata.name, kind: task.tags?["kind"], suite: task.extra?.suite,
                state: status.state, dependencies: task.dependencies ?? [])
    }
}

/// One page of `listTaskGroup`.
public struct TaskGroupPage: Sendable, Equatable, Decodable {
    public var taskGroupId: String
    public var tasks: [TaskGroupEntry]
    /// Present when more tasks follow: pass it back to get them.
    public var continuationToken: String?
}

/// An artifact of a task's run, as `listArtifacts` reports it.
public struct ArtifactInfo: Sendable, Equatable, Decodable {
    public var name: String
    public var contentType: String?
    public var storageType: String?
}
