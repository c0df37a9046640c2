import Foundation
import Synchronization
import SyncCore

/// A local stand-in for Lando, for tests and `wptsync demo`, on 127.0.0.1, with the paths,
/// shapes, status codes and authentication of Lando's own code:
///
/// - the headless API (`Authorization: Bearer <token>`, else 401 `{"detail": "Unauthorized"}`):
///   `POST /api/repo/<name>` with `{"actions": [{"action": "add-commit-base64", "content": …}]}`
///   answers 202 and a job `{"job_id", "status_url", "message", "created_at", "status", "error"}`
///   (errors `{"details": …}`: 404 unknown repository, 400 "Automation API is Git-only.", 403
///   without the repository's automation permission; 422 for a body of the wrong shape);
///   `GET /api/job/<id>` the same job; `GET /api/repoinfo/<name>` `{"repo_url", "branch_name", "scm_level"}`;
/// - `GET /api/hg2git/<repo>/<40 hex>` and `/api/git2hg/<repo>/<7–40 hex>` → `{"git_hash", "hg_hash"}`;
/// - `GET /api/treestatus/trees2` → `{"result": [{"tree", "status", "reason", …}]}`.
///
/// Each repository is a real bare git repository: a job's patches are really applied and the
/// branch moves (LANDED), or the job FAILS when they do not apply; a closed tree DEFERS it until
/// reopened. Lando's headless API has no job list: `jobs` is the control API's view.
public final class LocalLando: Sendable {
    public let port: UInt16
    /// `http://127.0.0.1:<port>`: what `lando_url` and lando-cli's `LANDO_URL` take.
    public var url: String { "http://127.0.0.1:\(port)" }

    let service: LandoService
    private let worker: LandoWorker
    private let server: LoopbackServer
    private let scratch: String
    private let wakeSignal: Wake

    /// The default user: `wptsync@mozilla.com`, allowed to use automation on every repository.
    public static let defaultTokens = ["test-lando-token": LandoUser(email: "wptsync@mozilla.com")]

    /// Starts serving `repositories` (their bare repositories are created when missing, with no
    /// commit: push a first one before landing).
    /// - Parameters:
    ///   - tokens: headless API token → user.
    ///   - trees: Treestatus trees besides the repositories' own; all start open.
    ///   - automatic: when true a worker thread runs due jobs as they come; when false, tests
    ///     call `runPendingJobs()`.
    ///   - deferRetry: seconds a deferred job waits before the worker tries it again.
    public init(repositories: [LandoRepository], tokens: [String: LandoUser] = LocalLando.defaultTokens,
                trees: [String] = [], automatic: Bool = true, deferRetry: TimeInterval = 0.2) throws(LocalServiceError) {
        for repo in repositories where !FileManager.default.fileExists(atPath: repo.path) {
            _ = try BareRepository.create(at: repo.path, defaultBranch: repo.branch)
        }
        let treeNames = Set(trees + repositories.map(\.tree))
        let wake = Wake()
        let service = LandoService(LandoState(
            repositories: Dictionary(repositories.map { ($0.name, $0) }) { $1 }, users: tokens,
            trees: Dictionary(uniqueKeysWithValues: treeNames.map { ($0, LandoTree()) })), wake: { wake.signal() })
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("local-lando-\(UUID().uuidString)").path
        let worker = LandoWorker(service: service, scratch: scratch, deferRetry: deferRetry)
        let server = try LoopbackServer { service.handle($0) }
        service.siteURL.withLock { $0 = "http://127.0.0.1:\(server.port)" }
        self.scratch = scratch
        self.worker = worker
        self.server = server
        self.service = service
        port = server.port
        wakeSignal = wake
        if automatic {
            Thread {
                while !wake.isStopped {
                    if worker.runPending() == 0 { wake.wait(seconds: 0.05) }
                }
            }.start()
        }
    }

    deinit { stop() }

    /// Stops the worker and the server; removes the scratch files. Idempotent.
    public func stop() {
        wakeSignal.stop()
        server.stop()
        worker.waitIdle()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    // MARK: Control API

    /// Runs every due job once (submitted ones, and deferred ones after `deferRetry`); returns how many ran.
    @discardableResult
    public func runPendingJobs() -> Int { worker.runPending() }

    /// Sets a tree's status (`open`, `closed`, `approval required`) and reason, as sheriffs do.
    public func setTree(_ tree: String, status: String, reason: String = "") {
        service.state.withLock { $0.trees[tree, default: LandoTree()].status = status; $0.trees[tree]?.reason = reason }
        wakeSignal.signal()
    }

    /// Records that git commit `git` is hg changeset `hg` in git repository `repo` (`firefox`), as
    /// Lando's commit map does, for `hg2git` and `git2hg`.
    public func mapCommits(repo: String = "firefox", git: String, hg: String) {
        service.state.withLock { $0.mappings.append((repo, git, hg)) }
    }

    /// Lands a commit writing `contents` at `path` on `repository`'s branch just before the
    /// worker next runs one of its jobs, as a concurrent landing would: the job's base moves.
    public func moveBaseBeforeNextJob(repository: String, path: String, contents: String,
                                      message: String = "Bug 1 - a concurrent landing\n") {
        service.state.withLock { $0.baseMoves.append(BaseMove(repository: repository, path: path, contents: contents, message: message)) }
    }

    /// Makes `repository`'s next job run end FAILED with `message`, landing nothing, as when
    /// Lando's own checks refuse the commits (the branch does not move).
    public func failNextJob(repository: String, message: String) {
        service.state.withLock { $0.jobFailures.append((repository, message)) }
    }

    /// Cancels a job waiting to run (submitted or deferred), as an administrator would; false otherwise.
    @discardableResult
    public func cancel(job id: Int) -> Bool {
        service.state.withLock { state in
            guard let index = state.jobs.firstIndex(where: { $0.id == id }),
                  [.submitted, .deferred].contains(state.jobs[index].status) else { return false }
            state.jobs[index].status = .cancelled
            return true
        }
    }

    /// Ends a job waiting to run (submitted or deferred) LANDED with `commitID` as its commit,
    /// pushing nothing, as a broken Lando would; false otherwise.
    @discardableResult
    public func markLanded(job id: Int, commitID: String) -> Bool {
        service.state.withLock { state in
            guard let index = state.jobs.firstIndex(where: { $0.id == id }),
                  [.submitted, .deferred].contains(state.jobs[index].status) else { return false }
            state.jobs[index].status = .landed
            state.jobs[index].landedCommit = commitID
            return true
        }
    }

    /// Makes the next `count` requests matching `method` and `pathPrefix` (any when nil) fail with
    /// `fault` (`serverErrorAfterActing` on a submission records the job, then answers 5xx).
    public func injectFault(_ fault: Fault, count: Int = 1, method: String? = nil, pathPrefix: String? = nil) {
        service.state.withLock { $0.faults.append(FaultRule(fault: fault, remaining: count, method: method, pathPrefix: pathPrefix)) }
    }

    /// Every job, oldest first.
    public var jobs: [LandoJobSnapshot] { service.state.withLock { $0.jobs.map(\.snapshot) } }

    /// Every request received so far, in order, with the status answered (0: left hanging).
    public var requests: [RecordedRequest] { service.state.withLock { $0.requests } }
}

/// A signal the worker thread waits on between rounds, and whether it should stop.
private final class Wake: @unchecked Sendable {
    private let condition = NSCondition()
    private var signalled = false
    private var stopped = false

    var isStopped: Bool { condition.withLock { stopped } }

    func stop() { condition.withLock { stopped = true; signalled = true; condition.broadcast() } }

    func signal() { condition.withLock { signalled = true; condition.broadcast() } }

    func wait(seconds: TimeInterval) {
        condition.withLock {
            if !signalled { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
            signalled = false
        }
    }
}
