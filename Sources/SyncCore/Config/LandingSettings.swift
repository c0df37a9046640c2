/// How upstream wpt changes are imported into Gecko (`[landing]`).
public struct LandingSettings: Sendable, Equatable {
    /// The configured Gecko repository (role integration) the landings are pushed to.
    public var repository: String
    /// The bug the landing commits name, until bugs are filed automatically.
    public var bug: Int
    /// wptsync's own clone of that repository, without a work tree, where commits are built.
    public var clone: String
    /// Where landings are pulled from and pushed to (default: the repository's path).
    public var pushURL: String?
    /// The Mercurial user of the landing commit (PR commits carry the upstream author).
    public var user: String
    /// Paths relative to the wpt root that are never imported; Gecko keeps its own version.
    public var exclude: [String]
    /// The tree's Treestatus resource (`…/trees/autoland`); no check when nil.
    public var treestatusURL: String?
    /// A command (argument array) run in a checkout of the built commits before the landing
    /// commit, e.g. the manifest update; the files it changes go into the landing commit.
    public var command: [String]?
    /// Seconds after which the command is killed and the landing deferred with that error.
    public var commandTimeoutSeconds: Double
    /// Lost push races retried before the landing is deferred.
    public var maxPushAttempts: Int
    /// How often a deferred landing (closed tree, failed push) is tried again.
    public var retrySeconds: Double
    public var enabled: Bool
    /// Whether a landing waits while a PR it carries still has a try run going (its metadata is not
    /// computed yet), at most `metadataWaitSeconds` after the PR merged upstream.
    public var waitForMetadata = false
    public var metadataWaitSeconds: Double = 14_400
    /// How the built commits reach the integration repository: pushed to it, or landed through Lando.
    public var push: LandingPush = .direct
    /// Lando's headless API, when `push` is `.lando`.
    public var lando: LandoSettings?

    public static let defaultUser = "wpt-sync <wpt-sync@mozilla.com>"
    public static let defaultExclude = ["resources/testdriver_vendor.js"]

    public init(repository: String, bug: Int, clone: String, pushURL: String? = nil, user: String = LandingSettings.defaultUser,
                exclude: [String] = LandingSettings.defaultExclude, treestatusURL: String? = nil, command: [String]? = nil,
                commandTimeoutSeconds: Double = 1800, maxPushAttempts: Int = 3, retrySeconds: Double = 300, enabled: Bool = true) {
        self.repository = repository; self.bug = bug; self.clone = clone; self.pushURL = pushURL; self.user = user
        self.exclude = exclude; self.treestatusURL = treestatusURL; self.command = command
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.maxPushAttempts = maxPushAttempts; self.retrySeconds = retrySeconds; self.enabled = enabled
    }
}

/// How a landing's commits reach the integration repository (`[landing] push`).
public enum LandingPush: String, Sendable, Equatable, CaseIterable {
    /// Pushed to the repository (hg push, or git push of the branch).
    case direct
    /// Submitted to Lando's headless API as one job (git only), read once per pass until it lands.
    case lando
}

/// Lando's headless API (`[landing] lando_url`, `lando_repo`, `lando_token_env` or `lando_token_file`).
public struct LandoSettings: Sendable, Equatable {
    /// Lando's root, e.g. `https://lando.moz.tools`.
    public var url: String
    /// Lando's name of the repository, e.g. `firefox-autoland`.
    public var repository: String
    /// Where the headless API token is read (`lando_token_env`, default `LANDO_HEADLESS_API_TOKEN`, or `lando_token_file`).
    public var token: SecretSource
    /// While a job waits, how often the tasks that read it (`landing-retry`, `autoland`) run; each
    /// reads it once and never waits for it.
    public var pollSeconds: Double
    /// How long a submission whose answer was lost (Lando may have taken it) waits before it is sent again.
    public var waitSeconds: Double

    /// The variable lando-cli reads the token from.
    public static let defaultToken = SecretSource.environment("LANDO_HEADLESS_API_TOKEN")

    public init(url: String, repository: String, token: SecretSource = LandoSettings.defaultToken,
                pollSeconds: Double = 10, waitSeconds: Double = 600) {
        self.url = url; self.repository = repository; self.token = token
        self.pollSeconds = pollSeconds; self.waitSeconds = waitSeconds
    }
}

extension LandingSettings {
    /// Whether `path` (bytes relative to the wpt root) is one of the `exclude` entries or lies
    /// beneath one: the landing never imports it, and a PR changing only such paths is not downstreamed.
    public static func isExcluded(_ path: [UInt8], by exclude: [String]) -> Bool {
        exclude.contains { path == Array($0.utf8) || PathPrefixes.isUnder(path, $0) }
    }
}
