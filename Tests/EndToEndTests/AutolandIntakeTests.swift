import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Pushes to a real try repository through the hook `wptsync install-hooks` put there, then lets
/// `wptsync process` read them: only pushes whose tip asks for autoland become requests, and only
/// level-3 users' requests are watched (the groups file backend).
@Suite("Autoland intake from try pushes", .serialized)
struct AutolandIntakeTests {
    let world: SyncWorld
    let tryRepo: String
    let groups: String

    init() throws {
        let dir = TempDir("autoland-intake")
        tryRepo = dir.sub("try")
        groups = dir.sub("autoland-groups")
        world = try SyncWorld(extraConfig: """

            [[gecko]]
            name = "try"
            path = "\(dir.sub("try"))"
            role = "try"

            [autoland]
            default_tree = "autoland"
            groups_file = "\(dir.sub("autoland-groups"))"

            """, installHooks: false, dir: dir)
        try sh("hg", ["init", tryRepo])
        try world.gecko.hg(["push", "-q", tryRepo])
        try world.wptsync(["install-hooks", world.autoland, world.central, world.mirror, tryRepo])
        try writeFile(groups, "alice@mozilla.com: active_scm_level_3 all_scm_level_3\ncarol@mozilla.com: active_scm_level_1\n")
    }

    /// Commits `fix` and a try commit on top, and pushes both to try as `user` (through `USER`).
    func pushToTry(message: String, tryTaskConfig: String = #"{"version": 2, "parameters": {"try_task_config": {}}}"#,
                   user: String = "alice@mozilla.com", fix: String = "Bug 5 - Fix the thing r=bob") throws -> (fix: String, tip: String) {
        try world.gecko.write("dom/base/Document.cpp", "// \(UUID().uuidString)\n")
        let fixNode = try world.gecko.commit(fix)
        try world.gecko.write("try_task_config.json", tryTaskConfig + "\n")
        let tip = try world.gecko.commit(message)
        try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": user, "LOGNAME": user])
        // As `mach try` does, the try commit does not stay in the developer's clone.
        try world.gecko.hg(["update", "-q", "-r", fixNode])
        return (fixNode, tip)
    }

    func requests() throws -> [AutolandRequest] {
        try SQLiteJournal(path: world.store).autolandRequests(phases: nil)
    }

    @Test func aTryPushAskingForAutolandBecomesARequestWithItsUserAndChangesets() throws {
        let pushed = try pushToTry(message: "try: -b do -p linux64 -u all --autoland")
        let events = try SQLiteJournal(path: world.store).events(state: nil, limit: 10)
        guard events.count == 1, case .hgPush(let push) = events[0].payload else { Issue.record("events: \(events)"); return }
        #expect(push.repository == "try" && push.lastNode == pushed.tip && push.user == "alice@mozilla.com")

        let output = try world.wptsync(["process", "--verbose"])
        let all = try requests()
        #expect(all.count == 1)
        let request = try #require(all.first)
        #expect(request.tip == pushed.tip && request.nodes == [pushed.fix], "the try commit itself is never landed")
        #expect(request.requester == "alice@mozilla.com" && request.tree == "autoland" && request.bugs == [5])
        #expect(request.state.phase == .watching, "alice has level 3")
        let log = try String(contentsOfFile: world.log, encoding: .utf8) + output
        #expect(log.contains("push to try: autoland request #\(request.id) from alice@mozilla.com to land 1 changeset(s) on autoland"))
        #expect(log.contains("autoland request #\(request.id) from alice@mozilla.com: level 3, watching the try run"))

        // The same push replayed is the same request.
        try world.wptsync(["replay", "--repository", "try", "--revs", "\(pushed.fix):\(pushed.tip)"])
        #expect(try requests() == all)
    }

    @Test func tryTaskConfigAsksTooAndAnUnknownTreeIsRefusedWithTheReason() throws {
        let config = #"{"version": 2, "parameters": {"try_task_config": {"autoland": "mozilla-central"}}}"#
        let pushed = try pushToTry(message: "Fuzzy query=web-platform-tests", tryTaskConfig: config)
        try world.wptsync(["process"])
        let request = try #require(try requests().first)
        #expect(request.tip == pushed.tip && request.state.phase == .refused && request.tree == nil)
        #expect(request.state.reason == #""mozilla-central" is not a tree autoland lands on (allowed: autoland)"#)
        #expect(try String(contentsOfFile: world.log, encoding: .utf8)
            .contains(#"refused: \"mozilla-central\" is not a tree autoland lands on (allowed: autoland)"#))
    }

    @Test func aMalformedTryLineOrAnInvalidUserIsRefusedNamingWhy() throws {
        try pushToTry(message: "try: -b do --autoland=")
        try pushToTry(message: "try: -b do --autoland", user: "alice;rm -rf")
        try world.wptsync(["process"])
        let reasons = try requests().reversed().map { $0.state.phase.rawValue + ": " + ($0.state.reason ?? "") }
        #expect(reasons == [
            #"refused: try syntax: "--autoland=" names no tree"#,
            "refused: the push names no valid user (REMOTE_USER or USER), so nobody can be checked for level 3",
        ])
    }

    @Test func aLevel1UserIsRefusedWithTheReasonAndTheBugCommentIsKept() throws {
        try pushToTry(message: "try: -b do --autoland", user: "carol@mozilla.com")
        try world.wptsync(["process"])
        let request = try #require(try requests().first)
        #expect(request.state.phase == .refused && request.bugs == [5])
        #expect(request.state.reason == "carol@mozilla.com is not in active_scm_level_3: no commit access level 3")
        #expect(request.comments == ["Autoland refused this request: carol@mozilla.com is not in active_scm_level_3: no commit access level 3."])
    }

    @Test func anUnreadableGroupsFileLeavesTheRequestWaitingUntilItCanBeRead() throws {
        try FileManager.default.removeItem(atPath: groups)
        try pushToTry(message: "try: -b do --autoland")
        try world.wptsync(["process"])
        let waiting = try #require(try requests().first)
        #expect(waiting.state.phase == .requested)
        #expect(waiting.state.reason?.hasPrefix("waiting for the access check: cannot read the groups file \(groups)") == true, "\(waiting.state)")
        try writeFile(groups, "alice@mozilla.com: active_scm_level_3\n")
        try world.wptsync(["process"])
        #expect(try requests().first?.state.phase == .watching, "the periodic check took it up again")
    }

    @Test func checkConfigSaysWhatAutolandDoes() throws {
        let output = try world.wptsync(["check-config"])
        #expect(output.contains("gecko try (try): \(tryRepo); hook records pushes"))
        #expect(output.contains("autoland: requests from try land on autoland (default autoland); level 3 from groups file \(groups); "
                                + "runs not watched (no treeherder_url); failed jobs of tier ≤ 2 run 1 more time(s); waiting requests looked at every 60 s"), "\(output)")
    }

    @Test func aTryPushWithoutARequestIsPassedOver() throws {
        try pushToTry(message: "try: -b do -p all -u all")
        try pushToTry(message: "Fuzzy query=wpt", tryTaskConfig: #"{"version": 2, "parameters": {"try_task_config": {"autoland": false}}}"#)
        try world.wptsync(["process"])
        #expect(try requests().isEmpty)
        let log = try String(contentsOfFile: world.log, encoding: .utf8)
        #expect(log.components(separatedBy: "push to try: no autoland request").count == 3)
        #expect(try SQLiteJournal(path: world.store).events(state: .done, limit: 10).count == 2)
    }
}
