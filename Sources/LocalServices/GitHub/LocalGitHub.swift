import Foundation

/// A local stand-in for GitHub's REST API, for tests and `wptsync demo`: a real HTTP/1.1 server
/// on 127.0.0.1 (or the local address `host`) that serves the endpoints wptsync uses, with GitHub's status codes, headers and
/// JSON shapes, backed by a real bare git repository.
///
/// Push branches to `repositoryPath` with plain `git push`; they become pull request heads. A
/// merge writes real commits on the base branch, and deleting a branch deletes the ref. Pull
/// requests, labels, statuses, check runs and reviews live in memory.
///
/// The API base URL is `baseURL` (no `/api/v3` prefix). Requests need
/// `Authorization: Bearer <token>` (or `token <token>`) with a token from `users`.
public final class LocalGitHub: Sendable {
    /// `owner` of the served repository, as in `/repos/{owner}/{name}`.
    public let owner: String
    public let name: String
    /// The bare repository: push here.
    public let repositoryPath: String
    /// The address the server listens on (127.0.0.1 unless a test network's is given).
    public let host: String
    /// The port the system chose.
    public let port: UInt16
    /// `http://<host>:<port>`: both the API base URL and the base of `html_url`s.
    public var baseURL: String { "http://\(host):\(port)" }

    private let service: Service
    private let server: LoopbackServer

    /// Creates the bare repository at `repositoryPath` if it does not exist and starts serving.
    /// - Parameters:
    ///   - users: token → login. Requests with another token answer 401.
    ///   - host: the IPv4 address to listen on: loopback, or for tests whose clients sit in other
    ///     network namespaces, an address the test gave a bridge of its own.
    ///   - port: 0 lets the system choose; read `port` afterwards.
    ///   - now: the clock for timestamps and rate-limit resets.
    public init(
        owner: String = "web-platform-tests", name: String = "wpt", repositoryPath: String,
        defaultBranch: String = "master", users: [String: String] = ["test-token": "wpt-sync-bot"],
        host: String = "127.0.0.1", port: UInt16 = 0, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(LocalServiceError) {
        let repository = FileManager.default.fileExists(atPath: repositoryPath)
            ? BareRepository(path: repositoryPath)
            : try BareRepository.create(at: repositoryPath, defaultBranch: defaultBranch)
        let service = Service(
            owner: owner, name: name, repository: repository, defaultBranch: defaultBranch, users: users, now: now)
        server = try LoopbackServer(host: host, port: port) { service.handle($0) }
        service.baseURL = "http://\(host):\(server.port)"
        self.owner = owner
        self.name = name
        self.repositoryPath = repositoryPath
        self.host = host
        self.port = server.port
        self.service = service
    }

    deinit { server.stop() }

    /// Stops the server: ends hanging requests and waits for every connection thread. Idempotent.
    public func stop() { server.stop() }

    // MARK: Control API for tests

    /// Makes the next `count` requests that match `method` (any when nil) and whose path starts
    /// with `pathPrefix` (any when nil; the path has no query, e.g. `/repos/o/r/pulls`) fail with
    /// `fault`. Rules are tried in the order added.
    public func injectFault(_ fault: Fault, count: Int = 1, method: String? = nil, pathPrefix: String? = nil) {
        service.state.withLock {
            $0.faults.append(FaultRule(fault: fault, remaining: count, method: method, pathPrefix: pathPrefix))
        }
    }

    /// Makes the bare repository at `repositoryPath` `owner`'s fork: pull requests may then have
    /// `owner:branch` heads from it (a head without the owner names a branch of this repository).
    /// The fork is created as a copy of this repository when it does not exist.
    public func addFork(owner forkOwner: String, repositoryPath fork: String) throws(LocalServiceError) {
        if !FileManager.default.fileExists(atPath: fork) {
            try service.repository.git(["clone", "--quiet", "--bare", service.repository.path, fork], inRepository: false)
        }
        service.state.withLock { $0.forks[forkOwner] = fork }
    }

    /// Drops every fault rule not used up yet: the outage is over.
    public func clearFaults() { service.state.withLock { $0.faults.removeAll() } }

    /// Forces pull request `number` to be (un)mergeable until its head moves, as GitHub computes
    /// mergeability again after a push; nil goes back to asking git.
    public func setMergeable(_ number: Int, _ mergeable: Bool?) {
        let branches = (try? service.repository.branches()) ?? [:]
        service.state.withLock { state in
            guard let index = state.pullIndex(number) else { return }
            state.pulls[index].mergeableOverride = mergeable
            state.pulls[index].mergeableOverrideHead = (try? service.headSHA(state.pulls[index], branches, state)) ?? nil
        }
    }

    /// Creates or updates the check run `name` on commit `sha`.
    public func setCheckRun(sha: String, name: String, _ checkState: CheckRunState) {
        let now = service.now()
        service.state.withLock { state in
            let completedAt: Date? = checkState.isCompleted ? now : nil
            if let index = state.checkRuns.firstIndex(where: { $0.sha == sha && $0.name == name }) {
                state.checkRuns[index].state = checkState
                state.checkRuns[index].completedAt = completedAt
            } else {
                state.checkRuns.append(CheckRunRecord(
                    id: state.newID(), sha: sha, name: name, state: checkState, startedAt: now, completedAt: completedAt))
            }
        }
    }

    /// The pull requests, oldest first, with their head commit as the API reports it.
    public var pullRequests: [PullRequestSnapshot] {
        service.state.withLock { state in
            let branches = (try? service.repository.branches()) ?? [:]
            return state.pulls.map { pull in
                PullRequestSnapshot(
                    number: pull.number, title: pull.title, body: pull.body, isOpen: pull.isOpen,
                    isMerged: pull.mergedAt != nil, headRef: pull.headRef, headLabel: "\(pull.headOwner ?? owner):\(pull.headRef)",
                    headSHA: (try? service.headSHA(pull, branches, state)) ?? nil, baseRef: pull.baseRef,
                    labels: pull.labels, author: pull.author, mergeCommitSHA: pull.mergeCommitSHA,
                    approvedBy: state.reviews.filter { $0.pull == pull.number && $0.state == "APPROVED" }.map(\.user))
            }
        }
    }

    /// Every request received so far, in order, with the status answered.
    public var requests: [RecordedRequest] { service.state.withLock { $0.requests } }

    /// Forgets the recorded requests.
    public func clearRequests() { service.state.withLock { $0.requests.removeAll() } }
}

/// A failure the local GitHub can be told to produce.
public enum Fault: Sendable, Equatable {
    /// Answer this 5xx status without acting on the request.
    case serverError(status: Int = 502)
    /// Act on the request, then answer this 5xx status: the client cannot tell that it worked.
    case serverErrorAfterActing(status: Int = 502)
    /// Never answer: the client has to time out.
    case hang
    /// Answer this status with `message` as the error's text (GitHub's `{"message": …}`), without
    /// acting on the request: for a server that echoes what it got, such as a credential.
    case errorMessage(status: Int, message: String)
    /// A primary rate limit: 403 with `x-ratelimit-remaining: 0` and a reset this many seconds ahead.
    case rateLimited(resetAfter: Int)
    /// A secondary rate limit: 429 with `retry-after` in seconds.
    case secondaryRateLimit(retryAfter: Int)
}

/// The state of a check run, as tests set it.
public enum CheckRunState: Sendable, Equatable {
    case queued, inProgress, success, failure

    var isCompleted: Bool { self == .success || self == .failure }
    /// GitHub's `status` field.
    var status: String {
        switch self {
        case .queued: "queued"
        case .inProgress: "in_progress"
        case .success, .failure: "completed"
        }
    }
    /// GitHub's `conclusion` field.
    var conclusion: String? {
        switch self {
        case .queued, .inProgress: nil
        case .success: "success"
        case .failure: "failure"
        }
    }
}

/// A pull request as the local GitHub holds it.
public struct PullRequestSnapshot: Sendable, Equatable {
    public var number: Int
    public var title: String
    public var body: String?
    public var isOpen: Bool
    public var isMerged: Bool
    public var headRef: String
    /// `owner:branch`, as GitHub's `head.label`.
    public var headLabel: String
    /// Nil when the head branch is gone from an open pull request.
    public var headSHA: String?
    public var baseRef: String
    public var labels: [String]
    public var author: String
    public var mergeCommitSHA: String?
    /// Logins that approved it.
    public var approvedBy: [String]
}

/// One request the local GitHub received.
public struct RecordedRequest: Sendable, Equatable {
    public var method: String
    /// Without the query.
    public var path: String
    public var query: [String: String]
    /// The status answered; 0 when the request was left hanging.
    public var status: Int
    /// Header names lowercased; a name sent twice keeps the last value.
    public var headers: [String: String]
    public var body: String
}
