import Foundation

/// One try push that asked to be landed, and where it stands.
public struct AutolandRequest: Sendable, Equatable, Codable {
    /// 0 until stored.
    public var id: Int64
    /// The `[[gecko]]` try repository pushed to.
    public var repository: String
    /// The push's last changeset: Treeherder's revision for the push.
    public var tip: String
    /// The changesets to land, oldest first (the push's, without its try-only commits).
    public var nodes: [String]
    /// The pushing user (`REMOTE_USER`/`USER` of the push); nil when the push named none that is valid.
    public var requester: String?
    /// The target tree, once the request is known to name an allowed one.
    public var tree: String?
    /// The bugs the changesets name, for comments.
    public var bugs: [Int]
    public var state: AutolandState
    /// Comments for the bugs, in order, kept until they are posted.
    public var comments: [String] = []
    /// How many of `comments` are on every bug (nil: none yet).
    public var postedComments: Int?
    /// Every change of phase: who decided, when, what and why.
    public var audit: [AutolandAudit]?
    /// What became of the Treeherder note on the jobs that failed again: `added to job N, …`,
    /// `skipped: …` (no credentials) or `not added: …` (Treeherder's answer).
    public var treeherderNote: String?
    public var receivedAt: Date
    /// Bumped on every save.
    public var version: Int

    public init(id: Int64 = 0, repository: String, tip: String, nodes: [String], requester: String?, tree: String?,
                bugs: [Int], state: AutolandState = AutolandState(), receivedAt: Date, version: Int = 0) {
        self.id = id; self.repository = repository; self.tip = tip; self.nodes = nodes; self.requester = requester
        self.tree = tree; self.bugs = bugs; self.state = state; self.receivedAt = receivedAt; self.version = version
    }
}

extension AutolandRequest {
    /// The comments not yet on every bug, in order.
    public var unpostedComments: ArraySlice<String> { comments.dropFirst(postedComments ?? 0) }
}

/// One decision on a request, for the audit log.
public struct AutolandAudit: Sendable, Equatable, Codable {
    /// `autoland`, or the sheriff who pressed the button or ran the command.
    public var who: String
    public var at: Date
    /// The phase the request moved to.
    public var phase: AutolandPhase
    public var why: String?

    public init(who: String, at: Date, phase: AutolandPhase, why: String?) { self.who = who; self.at = at; self.phase = phase; self.why = why }
}

/// A changeset of a try push, as the intake rules need it.
public struct TryChangeset: Sendable, Equatable {
    public var node: String
    public var message: String
    /// Changed files, repository-relative (bytes that are not UTF-8 replaced).
    public var files: [String]

    public init(node: String, message: String, files: [String]) { self.node = node; self.message = message; self.files = files }

    /// A commit that only configures the try run: its first line starts with `try:`, or it changes
    /// nothing but `try_task_config.json`. It is never landed.
    public var isTryOnly: Bool {
        message.split(whereSeparator: \.isNewline).first?.hasPrefix("try:") ?? true
            || files.allSatisfy { $0 == TryTaskConfig.fileName }
    }
}

/// The pure rules that turn a try push into an autoland request.
public enum AutolandIntake {
    /// Whether the tip must be looked at further: its message has a `try:` line with an autoland
    /// option, or it changes `try_task_config.json` (then that file is read). Other pushes cost
    /// nothing more than reading the tip.
    public static func mayAsk(tip: TryChangeset) -> (syntax: Bool, readTryTaskConfig: Bool) {
        let syntax = AutolandAsk.trySyntaxWords(tip.message)?.contains { $0 == AutolandAsk.option || $0.hasPrefix(AutolandAsk.option + "=") } ?? false
        return (syntax, tip.files.contains(TryTaskConfig.fileName))
    }

    /// The request `changesets` (the push, tip last) make, or nil when the tip does not ask. A
    /// request that cannot be taken (malformed, an unknown tree, no valid user, nothing to land)
    /// is `refused` with the reason, so the requester learns why.
    public static func request(repository: String, changesets: [TryChangeset], tryTaskConfig: [UInt8]?, user: String?,
                               settings: AutolandSettings, at time: Date) -> AutolandRequest? {
        guard let tip = changesets.last else { return nil }
        let landable = changesets.filter { !$0.isTryOnly }
        let bugs = Array(Set(landable.flatMap { CommitMessage.parse($0.message).bugs })).sorted()
        var request = AutolandRequest(repository: repository, tip: tip.node, nodes: landable.map(\.node), requester: user,
                                      tree: nil, bugs: bugs, receivedAt: time)
        do {
            guard let ask = try AutolandAsk.parse(message: tip.message, tryTaskConfig: tryTaskConfig) else { return nil }
            request.tree = try ask.target(settings)
        } catch {
            return refused(request, "\(error)")
        }
        guard user != nil else { return refused(request, "the push names no valid user (REMOTE_USER or USER), so nobody can be checked for level 3") }
        guard !landable.isEmpty else { return refused(request, "the push holds only try configuration, nothing to land") }
        return request
    }

    static func refused(_ request: AutolandRequest, _ reason: String) -> AutolandRequest {
        var refused = request
        refused.state = AutolandState(phase: .refused, reason: reason)
        return refused
    }
}
