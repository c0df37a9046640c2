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

extension LandingSettings {
    /// Whether `path` (bytes relative to the wpt root) is one of the `exclude` entries or lies
    /// beneath one: the landing never imports it, and a PR changing only such paths is not downstreamed.
    public static func isExcluded(_ path: [UInt8], by exclude: [String]) -> Bool {
        exclude.contains { path == Array($0.utf8) || PathPrefixes.isUnder(path, $0) }
    }
}
