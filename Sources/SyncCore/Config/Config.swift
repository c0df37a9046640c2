/// The whole configuration of one wptsync installation, as loaded and validated from its TOML file.
/// Relative paths have already been resolved against the file's folder.
public struct Config: Sendable, Equatable {
    public var store: StoreSettings
    public var paths: PathPrefixes
    public var gecko: [GeckoRepository]
    public var wpt: WPTMirror?
    public var github: GitHubSettings?
    public var upstream: UpstreamSettings
    /// Importing upstream changes into Gecko; nil when not configured.
    public var landing: LandingSettings?
    public var worker: WorkerSettings
    public var log: LogSettings
    /// When `wptsync status` says something needs a person (`[status]`).
    public var status = StatusThresholds()
    /// `wptsync serve`, GitHub's webhooks (`[serve]`).
    public var serve = ServeSettings()
    /// A bug and a try run for every upstream PR (`[downstream]`); nil when not configured.
    public var downstream: DownstreamSettings?
    /// Landing try pushes that ask for it (`[autoland]`); nil when not configured.
    public var autoland: AutolandSettings?
    /// Gecko's git ↔ hg pairs (`[commit_map]`); nil when not configured.
    public var commitMap: CommitMapSettings?

    public init(store: StoreSettings, paths: PathPrefixes = .init(), gecko: [GeckoRepository] = [],
                wpt: WPTMirror? = nil, github: GitHubSettings? = nil, upstream: UpstreamSettings = .init(),
                landing: LandingSettings? = nil, worker: WorkerSettings = .init(), log: LogSettings = .init()) {
        self.store = store; self.paths = paths; self.gecko = gecko; self.wpt = wpt
        self.github = github; self.upstream = upstream; self.landing = landing; self.worker = worker; self.log = log
    }

    /// The Gecko repository configured at `path` (already canonical), if any.
    public func geckoRepository(atPath path: String) -> GeckoRepository? {
        gecko.first { $0.path == path }
    }

    /// The branch a git try push moves: that of the git `[[gecko]]` try entry at `[downstream]
    /// try_repository` (a path or `file:` URL), which the hook and autoland watch; else `refs/heads/try`.
    public var tryBranch: String {
        guard let target = downstream?.tryRepository else { return "refs/heads/try" }
        let path = target.hasPrefix("file://") ? String(target.dropFirst(7)) : target
        return gecko.first { $0.role == .try && $0.kind == .git && $0.path == path }?.branch ?? "refs/heads/try"
    }

    /// The Gecko repository with the given name, if any.
    public func geckoRepository(named name: String) -> GeckoRepository? {
        gecko.first { $0.name == name }
    }
}

/// Where wpt lives inside Gecko.
public struct PathPrefixes: Sendable, Equatable {
    /// The upstream wpt checkout, e.g. `testing/web-platform/tests`.
    public var wpt: String
    /// Gecko's own expectation metadata, never upstreamed, e.g. `testing/web-platform/meta`.
    public var meta: String

    public init(wpt: String = "testing/web-platform/tests", meta: String = "testing/web-platform/meta") {
        self.wpt = wpt; self.meta = meta
    }
}

/// The part a Gecko repository plays in the sync.
public enum GeckoRole: String, Sendable, Equatable, CaseIterable {
    /// autoland or mozilla-inbound: changes land here first.
    case integration
    /// mozilla-central: changes are merged here from the integration repositories.
    case central
    /// try: pushes run CI only; those asking for autoland are landed once their run passes.
    case `try`
}

/// The version control system a Gecko repository is kept in.
public enum GeckoKind: String, Sendable, Equatable, CaseIterable {
    /// Mercurial: a `changegroup` hook records pushes, the command server reads them.
    case hg
    /// git (bare or not): a `post-receive` hook records updates of `branch`, libgit2 reads them.
    case git
}

/// One Gecko repository whose pushes the hook records.
public struct GeckoRepository: Sendable, Equatable {
    public var name: String
    public var path: String
    public var role: GeckoRole
    /// Mercurial (default) or git.
    public var kind: GeckoKind = .hg
    /// For a git repository, the full name of the branch that plays `role` (e.g. `refs/heads/autoland`); nil for hg.
    public var branch: String?
    /// The public URL, used in messages and to read the pushlog.
    public var url: String?
    /// Whether the hook records anything for this repository.
    public var enabled: Bool
    /// The `HG_SOURCE` values that are recorded; other sources (e.g. `strip`) are skipped.
    public var sources: [String]

    public static let defaultSources = ["push", "serve", "unbundle", "pull"]

    public init(name: String, path: String, role: GeckoRole, url: String? = nil,
                enabled: Bool = true, sources: [String] = GeckoRepository.defaultSources) {
        self.name = name; self.path = path; self.role = role; self.url = url
        self.enabled = enabled; self.sources = sources
    }
}

/// The local git mirror of upstream wpt and where the tool pushes its branches.
public struct WPTMirror: Sendable, Equatable {
    public var path: String
    /// Ref patterns recorded by the post-receive hook; `*` matches one path component.
    public var refs: [String]
    /// The URL (path, file://, https or ssh) that upstream branches are pushed to.
    public var upstreamPushURL: String?
    /// The URL `wptsync fetch-upstream` fetches master from, and the master syncs are built on
    /// (default: `upstreamPushURL`; required when that is a fork).
    public var fetchURL: String?
    /// The owner of the fork `upstreamPushURL` is, when it cannot be read from the URL (e.g. a local path).
    public var forkOwner: String?
    public var enabled: Bool

    public static let defaultRefs = ["refs/heads/master"]

    public init(path: String, refs: [String] = WPTMirror.defaultRefs, upstreamPushURL: String? = nil,
                fetchURL: String? = nil, forkOwner: String? = nil, enabled: Bool = true) {
        self.path = path; self.refs = refs; self.upstreamPushURL = upstreamPushURL
        self.fetchURL = fetchURL; self.forkOwner = forkOwner; self.enabled = enabled
    }
}

/// Where a secret comes from. The secret itself never appears in the configuration.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }
}

/// The GitHub API the tool talks to.
public struct GitHubSettings: Sendable, Equatable {
    public var apiBaseURL: String
    /// `owner/name`, e.g. `web-platform-tests/wpt`.
    public var repository: String
    public var token: SecretSource
    /// A second account's token used to approve the tool's PRs (`WPTSYNC_APPROVER_TOKEN` by default).
    public var approverToken: SecretSource?
    /// Whether the file names the approver's token. When it does not, the default variable being
    /// unset means PRs are not approved; a named token that cannot be read is an error.
    public var approverTokenIsExplicit: Bool

    public static let defaultApproverToken = SecretSource.environment("WPTSYNC_APPROVER_TOKEN")

    public init(apiBaseURL: String = "https://api.github.com", repository: String = "web-platform-tests/wpt",
                token: SecretSource = .environment("WPTSYNC_GITHUB_TOKEN"), approverToken: SecretSource? = GitHubSettings.defaultApproverToken,
                approverTokenIsExplicit: Bool = false) {
        self.apiBaseURL = apiBaseURL; self.repository = repository; self.token = token; self.approverToken = approverToken
        self.approverTokenIsExplicit = approverTokenIsExplicit
    }
}

/// How the worker drains the journal.
public struct WorkerSettings: Sendable, Equatable {
    /// After this many failed attempts an event stays failed until retried by hand.
    public var maxAttempts: Int
    /// How long a claimed event is reserved for its worker before another may take it.
    public var leaseSeconds: Double
    /// How often an idle `wptsync worker` looks for new events.
    public var pollSeconds: Double
    public var backoff: Backoff

    public init(maxAttempts: Int = 8, leaseSeconds: Double = 600, pollSeconds: Double = 1, backoff: Backoff = .init()) {
        self.maxAttempts = maxAttempts; self.leaseSeconds = leaseSeconds; self.pollSeconds = pollSeconds; self.backoff = backoff
    }
}

/// Where logs go.
public struct LogSettings: Sendable, Equatable {
    /// A JSON-lines file the worker and hooks append to; nil logs to standard error only.
    public var file: String?
    public var level: String

    public init(file: String? = nil, level: String = "info") { self.file = file; self.level = level }
}

extension PathPrefixes {
    /// Whether the repository path `bytes` lies under the wpt checkout.
    public func isWPT(_ bytes: [UInt8]) -> Bool { Self.isUnder(bytes, wpt) }

    /// Whether the repository path `bytes` lies under Gecko's wpt metadata.
    public func isMeta(_ bytes: [UInt8]) -> Bool { Self.isUnder(bytes, meta) }

    static func isUnder(_ bytes: [UInt8], _ prefix: String) -> Bool {
        let prefixBytes = Array(prefix.utf8)
        return bytes.count > prefixBytes.count && bytes.starts(with: prefixBytes) && bytes[prefixBytes.count] == UInt8(ascii: "/")
    }
}

/// How syncs are shaped upstream.
public struct UpstreamSettings: Sendable, Equatable {
    /// Label put on the tool's PRs.
    public var label: String
    /// How landed PRs are merged: rebase (default), merge or squash.
    public var mergeMethod: String
    /// Bug links in commit messages and PR bodies: this followed by the bug number.
    public var bugzillaURL: String
    /// The commit status context set on a PR's head once its changes reached mozilla-central.
    public var statusContext: String
    /// How often a landed PR waiting for checks is looked at again.
    public var recheckSeconds: Double
    /// Checks (run names or status contexts) that must have passed before a merge.
    public var requiredChecks: [String]
    /// Whether a PR on which no check reported at all may be merged (never, by default).
    public var mergeWithoutChecks: Bool
    /// What a changeset that does not apply to upstream master leads to.
    public var onConflict: ConflictPolicy

    public static let mergeMethods = ["rebase", "merge", "squash"]

    public init(label: String = "mozilla:gecko-sync", mergeMethod: String = "rebase",
                bugzillaURL: String = "https://bugzilla.mozilla.org/show_bug.cgi?id=",
                statusContext: String = "upstream/gecko", recheckSeconds: Double = 300,
                requiredChecks: [String] = [], mergeWithoutChecks: Bool = false, onConflict: ConflictPolicy = .wait) {
        self.label = label; self.mergeMethod = mergeMethod; self.bugzillaURL = bugzillaURL
        self.statusContext = statusContext; self.recheckSeconds = recheckSeconds
        self.requiredChecks = requiredChecks; self.mergeWithoutChecks = mergeWithoutChecks; self.onConflict = onConflict
    }
}

/// What a changeset that does not apply to upstream master leads to (`[upstream] on_conflict`).
public enum ConflictPolicy: String, Sendable, Equatable, CaseIterable {
    /// The sync waits in needs-fixup for a person to fix the branch (`wptsync continue upstream`).
    case wait
    /// The PR is opened from the upstream revision Gecko is synced to, where the changes apply,
    /// so the conflict with master shows on GitHub and is fixed there.
    case openFromSyncPoint = "open-from-sync-point"
}
