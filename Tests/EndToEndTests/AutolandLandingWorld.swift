import Foundation
import LocalServices
import Remote
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// A Gecko world with a try repository whose hook records pushes, the local Treeherder,
/// Taskcluster, Treestatus and Bugzilla, and `[autoland]` using them all; a groups file with a
/// level-3 user (alice), a level-1 user (carol) and a sheriff (sam, not the account running the tests); one bug to name in commits.
/// wptsync signs in to Treeherder with token files named relative to the configuration's folder.
/// With `geckoKind: .git`, try and the trees are bare git repositories (try's branch `try`, the
/// default), and with `lando` the autoland tree lands through a local Lando (`[landing] lando_url`).
final class AutolandLandingWorld {
    let world: SyncWorld
    let tryRepo: String
    let queue: LocalTaskcluster
    let treeherder: LocalTreeherder
    let treestatus: LocalTreestatus
    let bugzilla: LocalBugzilla
    let bug: Int
    /// The local Lando landing on autoland (git only), when asked for.
    private(set) var lando: LocalLando?
    var geckoKind: GeckoKind { world.geckoKind }
    /// The developer clone's initial import (git).
    var initialCommit = ""
    static let author = "Dana Developer <dana@example.com>"
    /// The account running the tests: who `wptsync autoland land|reject` acts as, whatever `USER` says.
    static let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
    /// The access token the local Treeherder takes, and whose account it is.
    static let treeherderAccessToken = "th-access-0123456789abcdef"
    static let treeherderUser = "wptsync@mozilla.com"
    /// The id token in `treeherder-id-token`, for `treeherderUser`, valid for an hour.
    let treeherderIDToken = LocalTreeherder.idToken(email: AutolandLandingWorld.treeherderUser, expires: Date().addingTimeInterval(3600))

    /// `extraConfig` is appended to the configuration (e.g. a `[serve]` section); `treeherderAccess`
    /// is the access token wptsync signs in to Treeherder with (nil: no Treeherder credentials).
    init(_ name: String, extraConfig: String = "", treeherderAccess: String? = AutolandLandingWorld.treeherderAccessToken,
         geckoKind: GeckoKind = .hg, lando: Bool = false) throws {
        let dir = TempDir(name)
        tryRepo = dir.sub(geckoKind == .git ? "try.git" : "try")
        queue = try LocalTaskcluster()
        treeherder = try LocalTreeherder(taskcluster: queue, users: [Self.treeherderAccessToken: Self.treeherderUser])
        treestatus = try LocalTreestatus(trees: ["autoland"])
        bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs"])
        try writeFile(dir.sub("bugzilla-key"), "bot-key\n")
        var treeherderTokens = ""
        if let treeherderAccess {
            try writeFile(dir.sub("treeherder-access-token"), treeherderAccess + "\n")
            try writeFile(dir.sub("treeherder-id-token"), treeherderIDToken + "\n")
            treeherderTokens = "treeherder_access_token_file = \"treeherder-access-token\"\ntreeherder_id_token_file = \"treeherder-id-token\""
        }
        world = try SyncWorld(extraConfig: """

            [[gecko]]
            name = "try"
            path = "\(tryRepo)"
            role = "try"
            \(geckoKind == .git ? "kind = \"git\"" : "")

            [autoland]
            groups_file = "\(dir.sub("autoland-groups"))"
            treeherder_url = "\(treeherder.baseURL)"
            taskcluster_url = "\(queue.rootURL)"
            treestatus_url = "\(treestatus.treesURL)"
            bugzilla_url = "\(bugzilla.restURL)"
            bugzilla_api_key_file = "\(dir.sub("bugzilla-key"))"
            \(treeherderTokens)
            \(extraConfig)

            """, installHooks: false, dir: dir, geckoKind: geckoKind)
        bug = try BugzillaClient(restURL: bugzilla.restURL, apiKey: Token("bot-key"))
            .createBug(NewBug(product: "Testing", component: "web-platform-tests", summary: "Fix the document", description: "d"))
        if geckoKind == .git {
            try sh("git", ["init", "-q", "--bare", "-b", "try", tryRepo])
            initialCommit = try git(["rev-parse", "HEAD"])
            try git(["push", "-q", tryRepo, "HEAD:refs/heads/try"])
        } else {
            try sh("hg", ["init", tryRepo])
            try world.gecko.hg(["push", "-q", tryRepo])
        }
        if lando { try landThroughLando(dir) }
        try world.wptsync(["install-hooks", tryRepo])
        try writeGroups(sheriff: "sam")
    }

    deinit { lando?.stop() }

    /// Adds `[landing]` with a local Lando landing on the autoland repository (the hook's environment
    /// names its token), its worker running jobs only when asked.
    private func landThroughLando(_ dir: TempDir) throws {
        let local = try LocalLando(repositories: [LandoRepository(name: "firefox-autoland", path: world.autoland, branch: "autoland", tree: "autoland")],
                                   automatic: false, deferRetry: 0.05)
        let config = try String(contentsOfFile: world.config, encoding: .utf8)
        try writeFile(world.config, config + """

            [landing]
            repository = "autoland"
            bug = 1
            lando_url = "\(local.url)"
            lando_repo = "firefox-autoland"
            lando_token_env = "WPTSYNC_TEST_LANDO_TOKEN"
            lando_poll_seconds = 0.02
            lando_wait_seconds = 120

            """)
        world.environment["WPTSYNC_TEST_LANDO_TOKEN"] = LocalLando.defaultTokens.keys.first
        lando = local
    }

    /// Runs git in the developer's clone (git Gecko).
    @discardableResult
    func git(_ arguments: [String], env: [String: String] = [:]) throws -> String {
        try sh("git", arguments, in: world.geckoClone, env: env).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes the groups file: alice level 3, carol level 1, and `sheriff` a level-3 sheriff.
    func writeGroups(sheriff: String) throws {
        try writeFile(world.dir.sub("autoland-groups"), """
            alice@mozilla.com: active_scm_level_3
            carol@mozilla.com: active_scm_level_1
            \(sheriff): sheriffs active_scm_level_3

            """)
    }

    /// Commits a fix of `path` (`Document.cpp`) by `author` and a try commit asking for autoland,
    /// pushes both to try as `user`, and (with `process`) processes the push.
    func pushToTry(_ contents: String = "int y;\n", user: String = "alice@mozilla.com", bug: Int? = nil,
                   path: String = "dom/base/Document.cpp", process: Bool = true) throws -> (fix: String, tip: String) {
        let message = "Bug \(bug ?? self.bug) - Fix the document r=bob"
        guard geckoKind == .git else {
            try world.gecko.write(path, contents)
            let fix = try world.gecko.commit(message, date: "1700000000 -3600", user: Self.author)
            try world.gecko.write("try_task_config.json", "{}\n")
            let tip = try world.gecko.commit("try: -b o --autoland")
            try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": user])
            try world.gecko.hg(["update", "-q", "-r", "0"])
            if process { try world.wptsync(["process"]) }
            return (fix, tip)
        }
        // As a person would: commits on central's code, then `git push try +HEAD:try`.
        try git(["reset", "-q", "--hard", initialCommit])
        let fix = try commitInClone([path: contents], message: message, author: Self.author, date: "1700000000 +0100")
        let tip = try commitInClone(["try_task_config.json": "{}\n"], message: "try: -b o --autoland")
        try git(["push", "-q", tryRepo, "+HEAD:refs/heads/try"], env: ["USER": user])
        if process { try world.wptsync(["process"]) }
        return (fix, tip)
    }

    /// Lands a change on autoland directly (another developer): in hg from the initial import, in
    /// git on the branch's tip.
    @discardableResult
    func landOnAutoland(_ path: String, _ contents: String) throws -> String {
        guard geckoKind == .git else {
            try world.gecko.hg(["update", "-q", "-r", "0"])
            try world.gecko.write(path, contents)
            let node = try world.gecko.commit("Bug 99 - Something else r=eve")
            try world.gecko.hg(["push", "-q", "-f", "-r", node, world.autoland])
            try world.gecko.hg(["update", "-q", "-r", "0"])
            return node
        }
        try git(["fetch", "-q", world.autoland, "refs/heads/autoland"])
        try git(["reset", "-q", "--hard", "FETCH_HEAD"])
        let node = try commitInClone([path: contents], message: "Bug 99 - Something else r=eve")
        try git(["push", "-q", world.autoland, "HEAD:refs/heads/autoland"])
        return node
    }

    /// Schedules the try run, every job passing, and processes it.
    func passRun(_ tip: String) throws {
        let push = queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])
    }

    /// Schedules the try run with its first wpt task failed, and processes until it is retriggered.
    func failOnceAndRetrigger(_ tip: String) throws -> (group: String, failed: ScheduledTryPush.Task) {
        let push = queue.scheduleTryPush(project: "try", revision: tip, tests: ["/dom/a.html"])
        let failed = try #require(push.wptTasks.first)
        queue.setState(failed.taskID, .failed)
        queue.resolveAll(group: push.decisionTaskID)
        try world.wptsync(["process"])
        return (push.decisionTaskID, failed)
    }

    func retrigger(_ run: (group: String, failed: ScheduledTryPush.Task)) throws -> LocalTaskSnapshot {
        try #require(queue.tasks(group: run.group).first { $0.label == run.failed.label && $0.taskID != run.failed.taskID })
    }

    func request() throws -> AutolandRequest { try #require(try SQLiteJournal(path: world.store).autolandRequests(phases: nil).first) }

    func autoland(_ template: String, _ revision: String = "tip") throws -> String {
        try sh("hg", ["log", "-R", world.autoland, "-r", revision, "-T", template])
    }

    var comments: [String] { bugzilla.bug(bug)?.comments ?? [] }

}
