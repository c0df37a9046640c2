import Foundation

/// One job of a try push, as Treeherder lists it.
public struct AutolandJob: Sendable, Equatable, Codable {
    /// Treeherder's job id: later jobs have larger ids, so a label's first job is its original run.
    public var id: Int
    /// `job_type_name`: the task label, which a retrigger keeps.
    public var name: String
    /// `pending`, `running` or `completed`.
    public var state: String
    /// `success`, `testfailed`, `busted`, `exception`, `retry`, `usercancel`, `superseded`, `unknown`.
    public var result: String
    public var taskID: String
    /// Nil counts as tier 1.
    public var tier: Int?

    public init(id: Int, name: String, state: String, result: String, taskID: String, tier: Int? = nil) {
        self.id = id; self.name = name; self.state = state; self.result = result; self.taskID = taskID; self.tier = tier
    }

    public var isDone: Bool { state == "completed" }
    public var passed: Bool { isDone && result == "success" }
    /// Replaced by another run of its task (Taskcluster's automatic retry) or by a newer push: not a result.
    public var isReplaced: Bool { result == "retry" || result == "superseded" }

    /// As a task for `TryRunState`'s completion rule.
    var tryTask: TryTask {
        let state: TaskState = switch self.state {
        case "pending": .pending
        case "running": .running
        default: passed ? .completed : .failed
        }
        return TryTask(taskID: taskID, name: name, state: state)
    }
}

/// A job that failed again after its retriggers, for the sheriffs and the Treeherder note.
public struct FailedJob: Sendable, Equatable, Codable {
    public var name: String
    public var jobID: Int
    public var taskID: String
    public var result: String

    public init(name: String, jobID: Int, taskID: String, result: String) {
        self.name = name; self.jobID = jobID; self.taskID = taskID; self.result = result
    }

    init(_ job: AutolandJob) { self.init(name: job.name, jobID: job.id, taskID: job.taskID, result: job.result) }
}

/// What a try run's jobs say once the configured filter is applied.
public enum RunVerdict: Sendable, Equatable {
    /// Jobs are pending or running (or none is listed yet; or retriggers issued are not listed yet).
    case waiting
    /// Failed labels to run again, cloning their original failed task.
    case retrigger([Retrigger])
    /// Every original run passed, or every retrigger of a failed one did.
    case passed
    /// Some retrigger failed again: these runs.
    case failed([FailedJob])
}

/// The rules for reading a try run: which jobs count, when the run is over, what to retrigger.
public enum AutolandRun {
    /// The jobs the filter keeps: tier at most `maxTier`, name not ignored, not replaced by another run.
    public static func relevant(_ jobs: [AutolandJob], _ settings: AutolandSettings) -> [AutolandJob] {
        jobs.filter { job in
            (job.tier ?? 1) <= settings.maxTier && !job.isReplaced
                && !settings.ignoredJobs.contains { Glob.matches(job.name, pattern: $0) }
        }
    }

    /// The verdict on `jobs`, given the retriggers already issued per label (`issued`), which
    /// Treeherder may not list yet.
    public static func verdict(_ jobs: [AutolandJob], issued: [String: Int], _ settings: AutolandSettings) -> RunVerdict {
        let kept = relevant(jobs, settings)
        guard !kept.isEmpty, TryRunState.isComplete(kept.map(\.tryTask)) else { return .waiting }
        var labels: [String] = []
        var runs: [String: [AutolandJob]] = [:]
        for job in kept.sorted(by: { $0.id < $1.id }) {
            if runs[job.name] == nil { labels.append(job.name) }
            runs[job.name, default: []].append(job)
        }
        var retriggers: [Retrigger] = []
        var failed: [FailedJob] = []
        var lagging = false
        for label in labels {
            let all = runs[label]!
            guard let original = all.first, !original.passed else { continue }
            let seen = all.count - 1
            let missing = settings.maxRetriggers - max(seen, issued[label] ?? 0)
            if missing > 0 {
                retriggers.append(Retrigger(taskID: original.taskID, name: label, count: missing))
            } else if seen < min(settings.maxRetriggers, issued[label] ?? 0) {
                lagging = true
            } else if settings.maxRetriggers == 0 {
                failed.append(FailedJob(original))
            } else {
                failed += all.dropFirst().filter { !$0.passed }.map(FailedJob.init)
            }
        }
        if !retriggers.isEmpty { return .retrigger(retriggers) }
        if lagging { return .waiting }
        return failed.isEmpty ? .passed : .failed(failed)
    }
}

extension AutolandRun {
    /// The task id of the `index`th retrigger (from 0) of `label` for a request: the same every
    /// time, so a retrigger repeated after a crash is refused by the queue (409) instead of run twice.
    public static func retriggerTaskID(request: Int64, tip: String, label: String, index: Int) -> String {
        let key = Array("\(request) \(tip) \(label) \(index)".utf8)
        let halves = [FNV1a.offsetBasis, 0x8422_2325_cbf2_9ce4].map { seed in
            var digest = FNV1a(seed: seed)
            digest.add(key)
            return digest.value
        }
        return SlugID.make(from: halves.flatMap { half in (0..<8).map { UInt8(truncatingIfNeeded: half >> (8 * $0)) } })
    }
}

/// Shell-style name patterns where `*` matches any run of characters (`/` included).
enum Glob {
    static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(Substring.init)
        guard parts.count > 1 else { return text == pattern }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts.last!) && rest.count >= parts.last!.count
    }
}
