import Foundation

/// Where the sheriff page links to: Treeherder's jobs, Bugzilla's bugs, the try repository's changesets.
public struct SheriffLinks: Sendable, Equatable {
    /// Treeherder's address (`https://treeherder.mozilla.org`).
    public var treeherder: String
    /// Bugzilla's address, without `/rest` (`https://bugzilla.mozilla.org`).
    public var bugzilla: String
    /// Each `[[gecko]]` repository's `url`, by name (changesets link to `<url>/rev/<node>`).
    public var repositories: [String: String]

    public init(treeherder: String, bugzilla: String, repositories: [String: String] = [:]) {
        self.treeherder = Self.trimmed(treeherder); self.bugzilla = Self.trimmed(bugzilla); self.repositories = repositories.mapValues(Self.trimmed)
    }

    /// The links `[autoland]` and the repositories imply; Mozilla's services where none is configured.
    public init(config: Config) {
        var bugzilla = Self.trimmed(config.autoland?.bugzillaURL ?? "https://bugzilla.mozilla.org")
        if bugzilla.hasSuffix("/rest") { bugzilla.removeLast("/rest".count) }
        self.init(treeherder: config.autoland?.treeherderURL ?? "https://treeherder.mozilla.org", bugzilla: bugzilla,
                  repositories: Dictionary(config.gecko.compactMap { repo in repo.url.map { (repo.name, $0) } }) { first, _ in first })
    }

    /// The bug's page on Bugzilla.
    public func bug(_ number: Int) -> String { "\(bugzilla)/show_bug.cgi?id=\(number)" }

    /// The job on Treeherder, selected in its push (the try repository's name is Treeherder's project).
    public func job(_ job: FailedJob, of request: AutolandRequest) -> String {
        "\(treeherder)/jobs?repo=\(request.repository)&revision=\(request.tip)&selectedJob=\(job.jobID)"
    }

    /// The request's try push on Treeherder.
    public func push(_ request: AutolandRequest) -> String { "\(treeherder)/jobs?repo=\(request.repository)&revision=\(request.tip)" }

    /// The changeset's page in its repository, when the repository has a `url`.
    public func changeset(_ node: String, in repository: String) -> String? { repositories[repository].map { "\($0)/rev/\(node)" } }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// What the sheriff page shows, built from values only; the template renders it as it is (escaped).
public struct SheriffQueueView: Sendable, Equatable {
    /// A text, linked when its address is known.
    public struct Link: Sendable, Equatable {
        public var text: String
        public var url: String?

        public init(text: String, url: String?) { self.text = text; self.url = url }
    }

    /// A job that failed again after its retriggers, with its Treeherder link.
    public struct Job: Sendable, Equatable {
        public var name, result, task, url: String
    }

    /// A request waiting for a sheriff.
    public struct Item: Sendable, Equatable {
        public var id: Int64
        public var requester: String
        public var tree: String
        public var received: String
        public var push: Link
        public var bugs: [Link]
        public var changesets: [Link]
        public var failedJobs: [Job]
    }

    /// One line of the audit log.
    public struct Decision: Sendable, Equatable {
        public var at: String
        public var request: Int64
        public var who: String
        public var phase: String
        public var why: String?
    }

    /// Who looks: nobody signed in, someone who may only look, or a sheriff (who gets the forms).
    public var user: String?
    public var mayDecide: Bool
    /// Why a signed-in person gets no buttons (not in the group, or the directory cannot answer).
    public var readOnlyBecause: String?
    /// The session's CSRF token (signed in), or the sign-in form's (not signed in).
    public var formToken: String
    public var items: [Item]
    public var audit: [Decision]
    /// What the last action did, or why it was refused.
    public var notice: String?
    public var error: String?

    /// How many audit entries the page shows, newest first.
    public static let auditLength = 50

    /// The view of `queued` requests (those a person decides on) and the audit log of `recent` ones.
    public static func make(queued: [AutolandRequest], recent: [AutolandRequest], links: SheriffLinks, user: String?, mayDecide: Bool,
                            readOnlyBecause: String?, formToken: String, notice: String? = nil, error: String? = nil) -> SheriffQueueView {
        let items = queued.filter { $0.state.phase == .queued }.map { request in
            Item(id: request.id, requester: ControlCharacters.escaped(request.requester ?? "(no valid user)"),
                 tree: request.tree ?? "", received: request.receivedAt.ISO8601Format(),
                 push: Link(text: "\(request.repository) \(request.tip.prefix(12))", url: links.push(request)),
                 bugs: request.bugs.map { Link(text: "Bug \($0)", url: links.bug($0)) },
                 changesets: request.nodes.map { Link(text: String($0.prefix(12)), url: links.changeset($0, in: request.repository)) },
                 failedJobs: request.state.failedJobs.map {
                     Job(name: ControlCharacters.escaped($0.name), result: $0.result, task: $0.taskID, url: links.job($0, of: request))
                 })
        }
        let audit = recent.flatMap { request in
            (request.audit ?? []).map { (entry: $0, request: request.id) }
        }
        .sorted { ($0.entry.at, $0.request) > ($1.entry.at, $1.request) }
        .prefix(auditLength)
        .map { Decision(at: $0.entry.at.ISO8601Format(), request: $0.request, who: ControlCharacters.escaped($0.entry.who),
                        phase: $0.entry.phase.rawValue, why: $0.entry.why.map(ControlCharacters.escaped)) }
        return SheriffQueueView(user: user, mayDecide: user != nil && mayDecide, readOnlyBecause: readOnlyBecause, formToken: formToken,
                                items: items, audit: Array(audit), notice: notice, error: error)
    }

    /// What a decision on `request` led to, for the page shown after it.
    public static func outcome(_ request: AutolandRequest) -> String {
        var text = "Request \(request.id) is now \(request.state.phase.rawValue)"
        if let node = request.state.landedNode { text += " (landed as \(node.prefix(12)))" }
        if let reason = request.state.reason { text += ": \(reason)" }
        return ControlCharacters.escaped(text)
    }
}
