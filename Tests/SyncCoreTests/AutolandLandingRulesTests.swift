import Foundation
import SyncCore
import Testing

@Suite("Autoland landing rules (pure)")
struct AutolandLandingRulesTests {
    let settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland"])

    @Test("each attempt's outcome becomes the machine's input; only a lost race with attempts left is tried again at once")
    func decisions() {
        let rows: [(LandingAttempt, Int, AutolandInput, Bool)] = [
            (.treeClosed(reason: "bustage"), 1, .treeClosed(reason: "bustage"), false),
            (.conflict(files: ["a.cpp"]), 1, .conflict(files: ["a.cpp"]), false),
            (.stripped(nodes: ["abc"]), 1, .stripped(nodes: ["abc"]), false),
            (.pushed(node: "n1"), 2, .landed(node: "n1"), false),
            (.alreadyLanded(node: "n0"), 1, .landed(node: "n0"), false),
            (.lostRace(message: "new remote head"), 1, .pushFailed(reason: "lost a push race (attempt 1)"), true),
            (.lostRace(message: "new remote head"), 3, .pushFailed(reason: "lost 3 push races in a row: new remote head"), false),
            (.pushFailed(message: "tree closed hook"), 1, .pushRefused(reason: "tree closed hook"), false),
        ]
        for (attempt, number, input, again) in rows {
            let decided = AutolandLanding.decide(attempt, number: number, maxAttempts: 3)
            #expect(decided.input == input && decided.again == again, "\(attempt) #\(number)")
        }
    }

    @Test("the decisions land, reject naming the files, defer while closed, hold for the sheriffs, refuse")
    func goals() {
        func run(_ state: AutolandState, _ inputs: [AutolandInput]) -> (AutolandState, [AutolandEffect]) {
            inputs.reduce((state, [])) { acc, input in
                let step = AutolandMachine.step(acc.0, input, tree: "autoland", settings: settings, at: Date(timeIntervalSince1970: 0))
                return (step.state, acc.1 + step.effects)
            }
        }
        let landing = AutolandState(phase: .landing)
        let closedThenLanded = run(landing, [.treeClosed(reason: "bustage"), .built(node: "n1"),
                                             AutolandLanding.decide(.pushed(node: "n1"), number: 1, maxAttempts: 3).input])
        #expect(closedThenLanded.0 == AutolandState(phase: .landed, landedNode: "n1"), "the attempt node is cleared, the reason too")
        #expect(closedThenLanded.1 == [.comment("Autoland landed this on autoland as n1.")])

        let deferred = run(landing, [.treeClosed(reason: "bustage")]).0
        #expect(deferred.phase == .landing && deferred.reason == "autoland is closed: bustage")
        let raced = run(landing, [.built(node: "n1"), .pushFailed(reason: "lost a push race (attempt 1)")]).0
        #expect(raced.phase == .landing && raced.attemptNode == "n1" && raced.reason == "push to autoland failed: lost a push race (attempt 1)")

        let rejected = run(landing, [.conflict(files: ["dom/a.cpp", "dom/b.cpp"])])
        #expect(rejected.0.phase == .rejected && rejected.0.reason == "no longer applies to autoland: conflicts in dom/a.cpp, dom/b.cpp")
        let refused = run(AutolandState(), [.access(.refused(reason: "carol is not in active_scm_level_3"))])
        #expect(refused.0.phase == .refused && refused.1 == [.comment("Autoland refused this request: carol is not in active_scm_level_3.")])
    }

    @Test("what is still to land, and the bug comment naming the request")
    func textAndNodes() {
        #expect(AutolandLanding.toLand(["a", "b", "c"]) { $0 == "b" } == ["a", "c"])
        let request = AutolandRequest(id: 4, repository: "try", tip: String(repeating: "f", count: 40), nodes: ["a"], requester: "alice@mozilla.com",
                                      tree: "autoland", bugs: [7], receivedAt: Date(timeIntervalSince1970: 0))
        #expect(AutolandLanding.bugComment("Autoland landed this.", request: request)
                == "Autoland landed this.\n\n(autoland request #4: try push ffffffffffff by alice@mozilla.com)")
        var posted = request
        posted.comments = ["one", "two", "three"]
        posted.postedComments = 2
        #expect(Array(posted.unpostedComments) == ["three"])
    }
}
