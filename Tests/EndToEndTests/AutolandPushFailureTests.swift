import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// A push to the tree that fails for a passing reason (a lock, the tree unreachable) is tried again
/// at the next poll without a sheriff being asked; a push refused because the tree is closed waits
/// like a closed tree in Treestatus; only pushes still failing after `push_failure_seconds` go to
/// the sheriffs, with the last message. A refused push: `AutolandRefusedPushTests`.
@Suite("Autoland: a push that fails for a passing reason is tried again", .serialized)
struct AutolandPushFailureTests {
    /// A request whose try run passed while `block` stops pushes to autoland, after `passes` more
    /// runs of `process`; and the function that lifts the block.
    private func blockedLanding(_ name: String, _ gecko: GeckoKind, limit: String = "", passes: Int,
                                block: (AutolandLandingWorld) throws -> () throws -> Void) throws -> (AutolandLandingWorld, unblock: () throws -> Void) {
        let w = try AutolandLandingWorld("autoland-\(name)-\(gecko)", extraConfig: limit, geckoKind: gecko)
        let unblock = try block(w)
        try w.passRun(try w.pushToTry().tip)
        for _ in 0..<passes { try w.world.wptsync(["process"]) }
        return (w, unblock)
    }

    private func lock(_ w: AutolandLandingWorld) throws -> () throws -> Void { try w.world.holdLock(on: w.world.autoland, branch: "autoland") }

    /// hg.mozilla.org's `treeclosure` hook refusing every push.
    private func closeTree(_ w: AutolandLandingWorld) throws -> () throws -> Void {
        try w.world.refusePushes(to: w.world.autoland, hook: "treeclosure", running: "echo 'autoland is CLOSED! (bustage)'")
    }

    private func noSheriffAsked(_ w: AutolandLandingWorld, _ request: AutolandRequest, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!w.comments.contains { $0.contains("sheriff") }, "\(w.comments)", sourceLocation: sourceLocation)
        #expect(request.audit?.contains { $0.phase == .queued } == false, "\(request.audit ?? [])", sourceLocation: sourceLocation)
    }

    /// Once `unblock` ran, the next pass lands the request, with no sheriff asked.
    private func landsOnceUnblocked(_ w: AutolandLandingWorld, _ unblock: () throws -> Void,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        try unblock()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node, "\(landed.state)",
                sourceLocation: sourceLocation)
        #expect(try w.autolandFile("dom/base/Document.cpp") == "int y;\n", sourceLocation: sourceLocation)
        noSheriffAsked(w, landed, sourceLocation: sourceLocation)
    }

    @Test(arguments: GeckoKind.allCases)
    func aPushFailingOnALockLandsOnTheNextPassWithoutTheSheriffs(gecko: GeckoKind) throws {
        let (w, unlock) = try blockedLanding("locked", gecko, passes: 0, block: lock)

        let waiting = try w.request()
        #expect(waiting.state.phase == .landing, "\(waiting.state)")
        #expect(waiting.state.reason?.contains("tried again at the next poll") == true, "\(waiting.state)")
        #expect(try w.autolandCount() == 1, "nothing landed")
        let list = try w.world.wptsync(["autoland", "list"])
        #expect(list.contains("autoland \(waiting.id) landing") && list.contains("tried again at the next poll"), "\(list)")
        noSheriffAsked(w, waiting)

        try landsOnceUnblocked(w, unlock)
    }

    @Test(arguments: GeckoKind.allCases)
    func aPushRefusedByAClosedTreeWaitsForItToReopen(gecko: GeckoKind) throws {
        let (w, reopen) = try blockedLanding("push-closed", gecko, limit: "push_failure_seconds = 0", passes: 1, block: closeTree)

        let waiting = try w.request()
        #expect(waiting.state.phase == .landing, "\(waiting.state)")
        // git passes on the hook's words; Mercurial's message names the hook.
        let said = waiting.state.reason ?? ""
        #expect(said.hasPrefix("autoland is closed: ") && (said.contains("CLOSED! (bustage)") || said.contains("treeclosure hook")), "\(waiting.state)")
        noSheriffAsked(w, waiting)

        try landsOnceUnblocked(w, reopen)
    }

    @Test(arguments: GeckoKind.allCases)
    func pushesStillFailingAfterTheLimitGoToTheSheriffsWithTheLastMessage(gecko: GeckoKind) throws {
        let (w, unlock) = try blockedLanding("lock-limit", gecko, limit: "push_failure_seconds = 0", passes: 1, block: lock)

        let queued = try w.request()
        #expect(queued.state.phase == .queued, "\(queued.state)")
        #expect(queued.state.reason?.hasPrefix("pushes to autoland failed since ") == true && queued.state.reason?.contains("lock") == true,
                "\(queued.state)")
        #expect(w.comments.filter { $0.contains("waits for a sheriff") }.count == 1, "\(w.comments)")
        #expect(try w.autolandCount() == 1, "nothing landed")

        try unlock()
        try w.writeGroups(sheriff: AutolandLandingWorld.me)
        try w.world.wptsync(["autoland", "land", "\(queued.id)"])
        #expect(try w.request().state.phase == .landed)
    }
}
