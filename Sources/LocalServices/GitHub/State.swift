import Foundation

/// Everything the local GitHub remembers besides the git repository. Guarded by the service's
/// mutex; the types here are plain values.
struct State {
    var pulls: [PullRecord] = []
    var statuses: [StatusRecord] = []
    var checkRuns: [CheckRunRecord] = []
    var reviews: [ReviewRecord] = []
    /// Label name → id; a label is created the first time it is added, as GitHub does.
    var labelIDs: [String: Int] = [:]
    var userIDs: [String: Int] = [:]
    var faults: [FaultRule] = []
    /// Fork owner → the fork's bare repository.
    var forks: [String: String] = [:]
    var requests: [RecordedRequest] = []
    var nextID = 1000
    var rateLimitRemaining = 5000

    mutating func newID() -> Int {
        nextID += 1
        return nextID
    }

    mutating func userID(_ login: String) -> Int {
        if let id = userIDs[login] { return id }
        let id = newID()
        userIDs[login] = id
        return id
    }

    func pullIndex(_ number: Int) -> Int? { pulls.firstIndex { $0.number == number } }

    /// Takes one use of the first fault rule that matches, removing rules that are used up.
    mutating func takeFault(method: String, path: String) -> Fault? { faults.take(method: method, path: path) }
}

/// A pull request as stored. Its head commit is read from the repository while it is open.
struct PullRecord {
    var number: Int
    var id: Int
    var title: String
    var body: String?
    var isOpen = true
    var headRef: String
    /// The owner of the fork the head branch is in; nil: this repository.
    var headOwner: String? = nil
    var baseRef: String
    /// Where the head and base diverged when the PR was opened (for listing a PR's commits).
    var forkPoint: String
    var author: String
    var labels: [String] = []
    var createdAt: Date
    var updatedAt: Date
    var closedAt: Date?
    var mergedAt: Date?
    var mergedBy: String?
    var mergeCommitSHA: String?
    /// The head commit when the PR was closed or merged; while open the branch is read instead.
    var frozenHeadSHA: String?
    /// Commits the merge wrote on the base branch.
    var mergeCommits: [String] = []
    /// Set by tests: forces `mergeable`, whatever git says, while the head is `mergeableOverrideHead`
    /// (GitHub computes mergeability again after a push).
    var mergeableOverride: Bool?
    var mergeableOverrideHead: String?
    /// The head when the PR was last listed or read: a different one bumps `updatedAt`.
    var seenHeadSHA: String?
}

struct StatusRecord {
    var id: Int
    var sha: String
    var state: String
    var context: String
    var description: String?
    var targetURL: String?
    var creator: String
    var createdAt: Date
}

struct CheckRunRecord {
    var id: Int
    var sha: String
    var name: String
    var state: CheckRunState
    var startedAt: Date
    var completedAt: Date?
}

struct ReviewRecord {
    var id: Int
    var pull: Int
    var user: String
    var state: String
    var body: String
    var commitID: String
    var submittedAt: Date
}

struct FaultRule {
    var fault: Fault
    var remaining: Int
    var method: String?
    var pathPrefix: String?

    func matches(method: String, path: String) -> Bool {
        (self.method.map { $0.uppercased() == method } ?? true) && (pathPrefix.map { path.hasPrefix($0) } ?? true)
    }
}

extension [FaultRule] {
    /// Takes one use of the first rule that matches, removing rules that are used up.
    mutating func take(method: String, path: String) -> Fault? {
        guard let index = firstIndex(where: { $0.matches(method: method, path: path) }) else { return nil }
        self[index].remaining -= 1
        let fault = self[index].fault
        if self[index].remaining <= 0 { remove(at: index) }
        return fault
    }
}
