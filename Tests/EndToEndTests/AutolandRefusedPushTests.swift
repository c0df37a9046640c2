import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// A push to the tree refused for another reason than a lost race (a hook on autoland): the request
/// goes to the sheriff queue with the refusal's text, said once on the bug and in the audit log,
/// and is not pushed again by itself; `wptsync autoland land ID` tries it once more.
@Suite("Autoland: a refused push waits for a sheriff", .serialized)
struct AutolandRefusedPushTests {
    static let refusal = "tree rules: not now"

    /// Makes autoland's own hook refuse every push, counting them in `attempts`; returns a function that lifts the refusal.
    private func refusePushes(_ w: AutolandLandingWorld, counting attempts: String) throws -> () throws -> Void {
        try w.world.refusePushes(to: w.world.autoland, hook: "refuse", running: "echo attempt >> '\(attempts)' && echo '\(Self.refusal)' >&2")
    }

    @Test(arguments: GeckoKind.allCases)
    func aRefusedPushGoesToTheSheriffsOnceAndASheriffLandsItOnce(gecko: GeckoKind) throws {
        let w = try AutolandLandingWorld("autoland-refused-\(gecko)", geckoKind: gecko)
        let attempts = w.world.dir.sub("push-attempts")
        let allow = try refusePushes(w, counting: attempts)
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        for _ in 1...2 { try w.world.wptsync(["process"]) }

        let queued = try w.request()
        #expect(queued.state.phase == .queued && queued.state.attemptNode == nil, "\(queued.state)")
        #expect(queued.state.reason?.hasPrefix("autoland refused the push: ") == true && queued.state.reason?.contains(Self.refusal) == true,
                "\(queued.state)")
        #expect(try String(contentsOfFile: attempts, encoding: .utf8) == "attempt\n", "pushed once, not at every poll")
        #expect(w.comments.filter { $0.contains(Self.refusal) && $0.contains("waits for a sheriff") }.count == 1, "\(w.comments)")
        #expect(queued.audit?.filter { $0.phase == .queued }.map(\.who) == ["autoland"], "\(queued.audit ?? [])")
        #expect(try w.autolandCount() == 1, "nothing landed")
        let queue = try w.world.wptsync(["autoland", "list", "--state", "queued"])
        #expect(queue.contains("autoland \(queued.id) queued") && queue.contains(Self.refusal), "\(queue)")

        try allow()
        try w.writeGroups(sheriff: AutolandLandingWorld.me)
        try w.world.wptsync(["autoland", "land", "\(queued.id)"])
        let landed = try w.request()
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node, "\(landed.state)")
        #expect(try w.autolandFile("dom/base/Document.cpp") == "int y;\n")
    }
}
