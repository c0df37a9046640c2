import Foundation
import SyncCore
import Testing

/// A push that fails for a passing reason (unreachable, a lock) waits for the next poll; once pushes
/// have failed for `push_failure_seconds`, the request goes to the sheriffs with the last message.
@Suite("Autoland push failures (pure)")
struct AutolandPushFailureRulesTests {
    let settings: AutolandSettings = {
        var settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland"])
        settings.pushFailureSeconds = 1800
        return settings
    }()
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func step(_ state: AutolandState, _ input: AutolandInput, after seconds: Double) -> AutolandStep {
        AutolandMachine.step(state, input, tree: "autoland", settings: settings, at: t0.addingTimeInterval(seconds))
    }

    func run(_ state: AutolandState, _ inputs: [(AutolandInput, Double)]) -> (state: AutolandState, effects: [AutolandEffect]) {
        inputs.reduce((state, [])) { acc, next in
            let step = step(acc.0, next.0, after: next.1)
            return (step.state, acc.1 + step.effects)
        }
    }

    @Test("a passing push failure is the machine's pushInterrupted input, not tried again at once; a refusal stays a refusal")
    func decisions() {
        #expect(AutolandLanding.decide(.pushInterrupted(message: "lock held"), number: 1, maxAttempts: 3) == (.pushInterrupted(reason: "lock held"), false))
        #expect(AutolandLanding.decide(.pushFailed(message: "hook said no"), number: 1, maxAttempts: 3) == (.pushRefused(reason: "hook said no"), false))
        let batch = AutolandBatch.decide(.pushInterrupted(message: "lock held"), built: ["a", "b"], number: 1, maxAttempts: 3)
        #expect(batch.inputs == [.pushInterrupted(reason: "lock held"), .pushInterrupted(reason: "lock held")] && !batch.again)
    }

    @Test("failures within the limit wait for the next poll, saying why and until when; past it, the sheriffs, once", arguments: [AutolandPhase.landing, .batched])
    func limit(phase: AutolandPhase) {
        let built = AutolandState(phase: phase, attemptNode: "n1")
        let first = run(built, [(.pushInterrupted(reason: "lock held"), 0)])
        #expect(first.state.phase == phase && first.effects.isEmpty && first.state.pushFailingSince == t0)
        #expect(first.state.attemptNode == "n1", "the push may have reached the tree: the next attempt looks for it there")
        #expect(first.state.reason == "push to autoland failed, tried again at the next poll (for a sheriff if pushes still fail after "
                + "\(t0.addingTimeInterval(1800).ISO8601Format())): lock held")
        let again = run(first.state, [(.built(node: "n1"), 900), (.pushInterrupted(reason: "lock held"), 900)])
        #expect(again.state == first.state && again.effects.isEmpty, "the failures' start is kept, and the same failure changes nothing")

        let past = run(again.state, [(.pushInterrupted(reason: "unreachable"), 1800)])
        #expect(past.state.phase == .queued && past.state.pushFailingSince == nil && past.state.attemptNode == "n1")
        #expect(past.state.reason == "pushes to autoland failed since \(t0.ISO8601Format()): unreachable")
        #expect(past.effects == [.comment("Autoland: pushes of this to autoland have failed since \(t0.ISO8601Format()) (last: unreachable); "
                                          + "the request waits for a sheriff, who lands it again or rejects it.")])
        #expect(step(past.state, .pushInterrupted(reason: "unreachable"), after: 1800).ignored != nil, "queued takes no push outcome")

        let approved = run(past.state, [(.sheriffLand(by: "sam"), 2000), (.pushInterrupted(reason: "lock held"), 2100)])
        #expect(approved.state.phase == .landing && approved.state.pushFailingSince == t0.addingTimeInterval(2100),
                "a sheriff's land starts the count again")
    }

    @Test("another outcome between failures (a closed tree, a lost race) starts the count again; landing, or going to the sheriffs, clears it")
    func reset() {
        let landing = AutolandState(phase: .landing)
        for other: AutolandInput in [.treeClosed(reason: "bustage"), .pushFailed(reason: "lost a push race (attempt 1)")] {
            let waited = run(landing, [(.pushInterrupted(reason: "lock"), 0), (other, 100), (.pushInterrupted(reason: "lock"), 1900)])
            #expect(waited.state.phase == .landing && waited.state.pushFailingSince == t0.addingTimeInterval(1900) && waited.effects.isEmpty, "\(other)")
        }
        let landed = run(landing, [(.pushInterrupted(reason: "lock"), 0), (.landed(node: "n1"), 60)])
        #expect(landed.state == AutolandState(phase: .landed, landedNode: "n1"))
        let refused = run(landing, [(.pushInterrupted(reason: "lock"), 0), (.pushRefused(reason: "hook said no"), 60)])
        #expect(refused.state.phase == .queued && refused.state.pushFailingSince == nil, "\(refused.state)")
    }

    @Test("with push_failure_seconds = 0 the first failure goes to the sheriffs; a refusal always does")
    func zero() {
        var settings = self.settings
        settings.pushFailureSeconds = 0
        let at = AutolandMachine.step(AutolandState(phase: .landing), .pushInterrupted(reason: "lock"), tree: "autoland", settings: settings, at: t0)
        #expect(at.state.phase == .queued && at.effects.count == 1)
        let refused = step(AutolandState(phase: .landing), .pushRefused(reason: "hook said no"), after: 0)
        #expect(refused.state.phase == .queued)
    }
}
