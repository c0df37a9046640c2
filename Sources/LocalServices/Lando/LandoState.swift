import Foundation
import SyncCore

/// A repository the local Lando lands into, as Lando's `Repo` describes it.
public struct LandoRepository: Sendable, Equatable {
    /// Lando's name, used by `POST /api/repo/<name>` and `GET /api/repoinfo/<name>`
    /// (Lando's short name defaults to it), e.g. `firefox-autoland`.
    public var name: String
    /// The bare git repository behind it (created when missing).
    public var path: String
    /// The branch jobs land on (`default_branch`), e.g. `autoland`.
    public var branch: String
    /// The Treestatus tree whose closure defers jobs; Lando's default is the repository's name.
    public var tree: String
    /// The name `hg2git`/`git2hg` take (the last segment of the repository URL), e.g. `firefox`.
    public var gitRepoName: String
    /// False for a Mercurial repository: the automation API answers 400 "Git-only".
    public var isGit = true
    public var automationEnabled = true
    /// The permission a user needs to submit jobs (`required_automation_permission`).
    public var requiredAutomationPermission = "main.scm_allow_direct_push"
    /// The landing permission; `repoinfo`'s `scm_level` is it without the app prefix.
    public var requiredPermission = "main.scm_level_3"
    /// A try repository (`is_try`): `POST /api/try/patches` takes jobs for it, each applied on its
    /// own base commit and force-pushed to `branch`.
    public var isTry = false
    /// Where a try job's base commit is fetched from when the repository lacks it (`pull_path`).
    public var pullPath: String?

    public init(name: String, path: String, branch: String, tree: String? = nil, gitRepoName: String = "firefox") {
        self.name = name; self.path = path; self.branch = branch
        self.tree = tree ?? name; self.gitRepoName = gitRepoName
    }
}

/// A user of the headless API, found by its token.
public struct LandoUser: Sendable, Equatable {
    public var email: String
    /// Django permissions, e.g. `main.scm_allow_direct_push`.
    public var permissions: Set<String>

    public init(email: String, permissions: Set<String> = ["main.scm_allow_direct_push", "main.scm_level_1"]) {
        self.email = email; self.permissions = permissions
    }
}

/// A job as the control API reports it.
public struct LandoJobSnapshot: Sendable, Equatable {
    public var id: Int
    public var repository: String
    public var requester: String
    public var status: LandoJobStatus
    /// Why it failed or was deferred; empty otherwise.
    public var error: String
    /// The branch's new head once landed (Lando's `landed_commit_id`).
    public var landedCommit: String?
    /// How many times the worker ran it.
    public var attempts: Int
}

/// One action of a job, as submitted.
enum LandoAction: Sendable, Equatable {
    case addCommitBase64(content: String)
    /// A valid action this stand-in does not perform (`add-commit`, `merge-onto`, `tag`, …).
    case unsupported(String)
}

struct LandoJob {
    var id: Int
    var repository: String
    var requester: String
    var actions: [LandoAction]
    var status: LandoJobStatus = .submitted
    var error = ""
    var landedCommit: String?
    var attempts = 0
    var createdAt: Date
    var lastAttempt: Date?
    /// A try job's base commit (`target_commit_hash`); nil for a headless API job, which lands on the branch's head.
    var base: String?

    var snapshot: LandoJobSnapshot {
        LandoJobSnapshot(id: id, repository: repository, requester: requester, status: status, error: error,
                         landedCommit: landedCommit, attempts: attempts)
    }
}

/// A tree as Lando's Treestatus holds it.
struct LandoTree {
    var status = "open"
    var reason = ""
    var messageOfTheDay = ""
    var category = "development"
}

/// A change that lands on a branch outside the job queue, just before the next job runs.
struct BaseMove: Sendable {
    var repository: String
    var path: String
    var contents: String
    var message: String
}

struct LandoState {
    var repositories: [String: LandoRepository]
    var users: [String: LandoUser]
    var trees: [String: LandoTree]
    var jobs: [LandoJob] = []
    /// (git repository name, git hash, hg hash).
    var mappings: [(repo: String, git: String, hg: String)] = []
    var faults: [FaultRule] = []
    var baseMoves: [BaseMove] = []
    /// (repository, Lando's error): the repository's next job run fails with it, landing nothing.
    var jobFailures: [(repository: String, message: String)] = []
    var requests: [RecordedRequest] = []

    /// Ids of jobs the worker should run now, oldest first: submitted ones, and deferred ones last
    /// tried at least `deferRetry` seconds before `now`. A deferred job not yet due holds back
    /// the later jobs of its repository, so that a repository's jobs land in the order submitted.
    func runnable(now: Date, deferRetry: TimeInterval) -> [Int] {
        var waiting: Set<String> = []
        var due: [Int] = []
        for job in jobs where !job.status.isFinal && job.status != .created && !waiting.contains(job.repository) {
            if job.status == .deferred && now.timeIntervalSince(job.lastAttempt ?? .distantPast) < deferRetry {
                waiting.insert(job.repository)
            } else {
                due.append(job.id)
            }
        }
        return due
    }

    /// The mappings of git repository `repo` whose git (or hg) hash starts with `hash`.
    func mappings(repo: String, hash: String, fromGit: Bool) -> [(repo: String, git: String, hg: String)] {
        mappings.filter { $0.repo == repo && (fromGit ? $0.git : $0.hg).hasPrefix(hash) }
    }
}
