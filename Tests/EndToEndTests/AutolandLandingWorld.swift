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
final class AutolandLandingWorld {
    let world: SyncWorld
    let tryRepo: String
    let queue: LocalTaskcluster
    let treeherder: LocalTreeherder
    let treestatus: LocalTreestatus
    let bugzilla: LocalBugzilla
    let bug: Int
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
    init(_ name: String, extraConfig: String = "", treeherderAccess: String? = AutolandLandingWorld.treeherderAccessToken) throws {
        let dir = TempDir(name)
        tryRepo = dir.sub("try")
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
            path = "\(dir.sub("try"))"
            role = "try"

            [autoland]
            groups_file = "\(dir.sub("autoland-groups"))"
            treeherder_url = "\(treeherder.baseURL)"
            taskcluster_url = "\(queue.rootURL)"
            treestatus_url = "\(treestatus.treesURL)"
            bugzilla_url = "\(bugzilla.restURL)"
            bugzilla_api_key_file = "\(dir.sub("bugzilla-key"))"
            \(treeherderTokens)
            \(extraConfig)

            """, installHooks: false, dir: dir)
        try sh("hg", ["init", tryRepo])
        try world.gecko.hg(["push", "-q", tryRepo])
        try world.wptsync(["install-hooks", tryRepo])
        bug = try BugzillaClient(restURL: bugzilla.restURL, apiKey: Token("bot-key"))
            .createBug(NewBug(product: "Testing", component: "web-platform-tests", summary: "Fix the document", description: "d"))
        try writeGroups(sheriff: "sam")
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
        try world.gecko.write(path, contents)
        let fix = try world.gecko.commit("Bug \(bug ?? self.bug) - Fix the document r=bob", date: "1700000000 -3600", user: Self.author)
        try world.gecko.write("try_task_config.json", "{}\n")
        let tip = try world.gecko.commit("try: -b o --autoland")
        try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": user])
        try world.gecko.hg(["update", "-q", "-r", "0"])
        if process { try world.wptsync(["process"]) }
        return (fix, tip)
    }

    /// Lands a change on autoland directly (another developer), from the initial import.
    @discardableResult
    func landOnAutoland(_ path: String, _ contents: String) throws -> String {
        try world.gecko.hg(["update", "-q", "-r", "0"])
        try world.gecko.write(path, contents)
        let node = try world.gecko.commit("Bug 99 - Something else r=eve")
        try world.gecko.hg(["push", "-q", "-f", "-r", node, world.autoland])
        try world.gecko.hg(["update", "-q", "-r", "0"])
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
