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
    /// Makes pushes to autoland fail on a lock someone else holds (git: the branch's lock; Mercurial:
    /// the store's, held by another host, given up after 1 s); returns a function that releases it.
    private func lockTree(_ w: AutolandLandingWorld) throws -> () throws -> Void {
        if w.geckoKind == .git {
            let lock = w.world.autoland + "/refs/heads/autoland.lock"
            try writeFile(lock, "")
            return { try FileManager.default.removeItem(atPath: lock) }
        }
        let lock = w.world.autoland + "/.hg/store/lock"
        let hgrc = w.world.autoland + "/.hg/hgrc"
        let original = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
        try writeFile(hgrc, original + "\n[ui]\ntimeout = 1\n")
        try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: "elsewhere.example:4242")
        return {
            try FileManager.default.removeItem(atPath: lock)
            try writeFile(hgrc, original)
        }
    }

    /// Makes autoland's own hook refuse every push saying the tree is closed (hg.mozilla.org's
    /// `treeclosure` hook); returns a function that reopens it.
    private func closeTree(_ w: AutolandLandingWorld) throws -> () throws -> Void {
        if w.geckoKind == .git {
            let hook = w.world.autoland + "/hooks/pre-receive"
            try writeFile(hook, "#!/bin/sh\necho 'autoland is CLOSED! (bustage)'\nexit 1\n", executable: true)
            return { try writeFile(hook, "#!/bin/sh\nexit 0\n", executable: true) }
        }
        let hgrc = w.world.autoland + "/.hg/hgrc"
        let original = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
        try writeFile(hgrc, original + "\n[hooks]\npretxnchangegroup.treeclosure = echo 'autoland is CLOSED! (bustage)' && false\n")
        return { try writeFile(hgrc, original) }
    }

    private func noSheriffAsked(_ w: AutolandLandingWorld, _ request: AutolandRequest, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!w.comments.contains { $0.contains("sheriff") }, "\(w.comments)", sourceLocation: sourceLocation)
        #expect(request.audit?.contains { $0.phase == .queued } == false, "\(request.audit ?? [])", sourceLocation: sourceLocation)
    }

    @Test(arguments: GeckoKind.allCases)
    func aPushFailingOnALockLandsOnTheNextPassWithoutTheSheriffs(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-locked-\(gecko)", geckoKind: gecko)
        let unlock = try lockTree(w)
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)

        let waiting = try w.request()
        #expect(waiting.state.phase == .landing, "\(waiting.state)")
        #expect(waiting.state.reason?.contains("tried again at the next poll") == true, "\(waiting.state)")
        #expect(try w.autolandCount() == 1, "nothing landed")
        let list = try w.world.wptsync(["autoland", "list"])
        #expect(list.contains("autoland \(waiting.id) landing") && list.contains("tried again at the next poll"), "\(list)")
        noSheriffAsked(w, waiting)

        try unlock()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node, "\(landed.state)")
        #expect(try w.autolandFile("dom/base/Document.cpp") == "int y;\n")
        noSheriffAsked(w, landed)
    }

    @Test(arguments: GeckoKind.allCases)
    func aPushRefusedByAClosedTreeWaitsForItToReopen(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-push-closed-\(gecko)", extraConfig: "push_failure_seconds = 0", geckoKind: gecko)
        let reopen = try closeTree(w)
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        try w.world.wptsync(["process"])

        let waiting = try w.request()
        #expect(waiting.state.phase == .landing, "\(waiting.state)")
        // git passes on the hook's words; Mercurial's message names the hook.
        let said = waiting.state.reason ?? ""
        #expect(said.hasPrefix("autoland is closed: ") && (said.contains("CLOSED! (bustage)") || said.contains("treeclosure hook")), "\(waiting.state)")
        noSheriffAsked(w, waiting)

        try reopen()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node, "\(landed.state)")
        noSheriffAsked(w, landed)
    }

    @Test(arguments: GeckoKind.allCases)
    func pushesStillFailingAfterTheLimitGoToTheSheriffsWithTheLastMessage(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-lock-limit-\(gecko)", extraConfig: "push_failure_seconds = 0", geckoKind: gecko)
        let unlock = try lockTree(w)
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        try w.world.wptsync(["process"])

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
