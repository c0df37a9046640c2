/// Landing try pushes that ask for it once their run passes (`[autoland]`).
public struct AutolandSettings: Sendable, Equatable {
    /// The integration tree a request without `=<tree>` lands on (a `[[gecko]]` name, role integration).
    public var defaultTree: String
    /// The trees a request may name (default: every integration repository).
    public var trees: [String]
    /// Times each failed job is run again before the request is decided (0: none, straight to the sheriffs).
    public var maxRetriggers: Int
    /// Jobs of a higher tier are not looked at (Treeherder tiers 1–3; a job without one is tier 1).
    public var maxTier: Int
    /// Job names (`*` matches any run of characters) that are not looked at.
    public var ignoredJobs: [String]
    /// Where group memberships (level 3) come from.
    public var access: AccessBackend = .groupsFile("autoland-groups")
    /// Treeherder's site (`https://treeherder.mozilla.org`): the try push's jobs. Nil: runs are not watched.
    public var treeherderURL: String?
    /// Taskcluster's root URL: failed jobs are retriggered there (`createTask`).
    public var taskclusterURL: String?
    /// The Taskcluster token's source, when `createTask` needs one.
    public var taskclusterToken: SecretSource?
    /// Treeherder's sign-in (an Auth0 access token and id token): notes on the jobs that failed
    /// again are added only with both; nil: those notes are skipped.
    public var treeherderAccessToken: SecretSource?
    public var treeherderIDToken: SecretSource?
    /// How often requests still waiting (an access check that could not be made, a run) are looked at.
    public var pollSeconds: Double = 60
    /// Where each tree's clone (no work tree) is kept, one folder per tree; nil: `autoland-clones` next to the store.
    public var cloneDir: String?
    /// Treestatus's trees resource (`https://treestatus.mozilla-releng.net/trees`): a tree's status is
    /// at `<url>/<tree>`. Nil: trees are taken as open.
    public var treestatusURL: String?
    /// Bugzilla's REST root: every decision is commented on the request's bugs. Nil: comments are only kept.
    public var bugzillaURL: String?
    public var bugzillaKey: SecretSource?
    /// Pushes tried per landing before it waits for the next poll (each lost race rebuilds on the new tip).
    public var maxPushAttempts = 3
    /// How long pushes may keep failing for a passing reason (the tree unreachable, a lock), each
    /// poll trying again, before the request goes to the sheriffs.
    public var pushFailureSeconds: Double = 1800
    /// The group (in the same access backend) whose members may land or reject queued requests.
    public var sheriffGroup = "sheriffs"
    /// Approved requests land together every this many seconds, in one push per tree (0: each lands on its own).
    public var batchSeconds: Double = 0
    /// Whether requests whose run passed also wait for the batch (otherwise only those sheriffs approve).
    public var batchPassed = false

    /// Whether approved requests wait for the next batch.
    public var isBatching: Bool { batchSeconds > 0 }

    public static let retriggerRange = 0...5
    public static let tierRange = 1...3

    public init(defaultTree: String, trees: [String], maxRetriggers: Int = 1, maxTier: Int = 2, ignoredJobs: [String] = []) {
        self.defaultTree = defaultTree; self.trees = trees; self.maxRetriggers = maxRetriggers
        self.maxTier = maxTier; self.ignoredJobs = ignoredJobs
    }
}

/// Where autoland reads who is in which group (`[autoland] groups_file` or `[autoland.ldap]`).
public enum AccessBackend: Sendable, Equatable {
    /// A file of `user: group group …` lines, read at each check.
    case groupsFile(String)
    case ldap(LDAPSettings)
}

/// An LDAP directory asked through `ldapsearch` (Debian's `ldap-utils`).
public struct LDAPSettings: Sendable, Equatable {
    /// `ldap://host:port/` or `ldaps://…`.
    public var url: String
    /// Where the search starts: the user entries and the groups must both lie below it.
    public var baseDN: String
    /// The entry to bind as; nil binds anonymously.
    public var bindDN: String?
    /// The bind password's source; handed to `ldapsearch` in a private file (`-y`), never as an argument.
    public var password: SecretSource?
    /// The attribute of a user entry holding the pushing user (`mail`).
    public var userAttribute: String
    /// The attribute of a group listing its members by that same name (`memberUid`).
    public var memberAttribute: String
    /// The object class of group entries (`posixGroup`).
    public var groupClass: String
    public var timeoutSeconds: Int

    public init(url: String, baseDN: String, bindDN: String? = nil, password: SecretSource? = nil, userAttribute: String = "mail",
                memberAttribute: String = "memberUid", groupClass: String = "posixGroup", timeoutSeconds: Int = 10) {
        self.url = url; self.baseDN = baseDN; self.bindDN = bindDN; self.password = password; self.userAttribute = userAttribute
        self.memberAttribute = memberAttribute; self.groupClass = groupClass; self.timeoutSeconds = timeoutSeconds
    }
}
