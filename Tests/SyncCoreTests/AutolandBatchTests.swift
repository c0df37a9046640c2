import Foundation
import SyncCore
import Testing

@Suite("Autoland batches (pure)")
struct AutolandBatchTests {
    let hourly: AutolandSettings = {
        var settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland", "inbound"])
        settings.batchSeconds = 3600
        return settings
    }()
    let noon = Date(timeIntervalSince1970: 1_700_000_000)

    func step(_ state: AutolandState, _ input: AutolandInput, _ settings: AutolandSettings) -> AutolandStep {
        AutolandMachine.step(state, input, tree: "autoland", settings: settings, at: noon)
    }

    func request(_ id: Int64, tree: String? = "autoland", _ phase: AutolandPhase = .batched, approved: TimeInterval?) -> AutolandRequest {
        AutolandRequest(id: id, repository: "try", tip: "t\(id)", nodes: ["n\(id)"], requester: "alice", tree: tree, bugs: [],
                        state: AutolandState(phase: phase, approvedAt: approved.map { noon.addingTimeInterval($0) }), receivedAt: noon)
    }

    @Test func aSheriffsApprovalWaitsForTheBatchWithItsTimeOnlyWhenBatching() {
        let batched = step(AutolandState(phase: .queued), .sheriffLand(by: "sam"), hourly)
        #expect(batched.state == AutolandState(phase: .batched, approvedAt: noon))
        #expect(batched.effects == [.comment("A sheriff (sam) approved this autoland request: it lands on autoland with the next batch.")])
        let alone = step(AutolandState(phase: .queued), .sheriffLand(by: "sam"), AutolandSettings(defaultTree: "autoland", trees: ["autoland"]))
        #expect(alone.state.phase == .landing && alone.state.approvedAt == nil)
    }

    @Test func aPassedRunWaitsForTheBatchOnlyWithBatchTrue() {
        let passed: AutolandInput = .jobs([AutolandJob(id: 1, name: "build", state: "completed", result: "success", taskID: "t1")])
        #expect(step(AutolandState(phase: .watching), passed, hourly).state.phase == .landing)
        var all = hourly
        all.batchPassed = true
        #expect(step(AutolandState(phase: .watching), passed, all).state == AutolandState(phase: .batched, approvedAt: noon))
    }

    @Test func aBatchedRequestTakesTheLandingInputsAndNothingElse() {
        let batched = AutolandState(phase: .batched, approvedAt: noon)
        #expect(step(batched, .built(node: "abc"), hourly).state.attemptNode == "abc")
        #expect(step(batched, .treeClosed(reason: "bustage"), hourly).state == AutolandState(phase: .batched, reason: "autoland is closed: bustage", approvedAt: noon))
        #expect(step(batched, .landed(node: "abc"), hourly).state.phase == .landed)
        let conflict = step(batched, .conflict(files: ["dom/a.cpp"]), hourly)
        #expect(conflict.state.phase == .rejected
                && conflict.effects == [.comment("Autoland could not land this: it no longer applies to autoland (conflicting files: dom/a.cpp).")])
        #expect(step(batched, .sheriffLand(by: "sam"), hourly).ignored == "landing by a sheriff does not apply to a request that is batched")
        #expect(step(batched, .jobs([]), hourly).ignored != nil)
    }

    @Test func dueRequestsAreGroupedByTreeInApprovalOrderThenById() {
        let requests = [request(1, approved: 30), request(2, approved: 10), request(3, approved: 10), request(4, tree: nil, approved: 0),
                        request(5, tree: "inbound", approved: 20), request(6, approved: 90), request(7, .landing, approved: nil),
                        request(8, .queued, approved: nil)]
        let plans = AutolandBatch.due(requests, defaultTree: "autoland", at: noon.addingTimeInterval(60))
        #expect(plans.map(\.tree) == ["autoland", "inbound"])
        #expect(plans.map { $0.requests.map(\.id) } == [[4, 2, 3, 1], [5]], "approved after the run (6) and not batched (7, 8) wait")
        #expect(AutolandBatch.due(requests, defaultTree: "autoland", at: noon.addingTimeInterval(-1)).isEmpty)
    }

    @Test func onePushDecidesEveryRequestBuiltIntoIt() {
        let built = ["a1", "b2"]
        let pushed = AutolandBatch.decide(.pushed(node: "b2"), built: built, number: 1, maxAttempts: 3)
        #expect(pushed.inputs == [.landed(node: "a1"), .landed(node: "b2")] && !pushed.again, "each request landed as its own last commit")
        let raced = AutolandBatch.decide(.lostRace(message: "new heads"), built: built, number: 1, maxAttempts: 3)
        #expect(raced.inputs == Array(repeating: .pushFailed(reason: "lost a push race (attempt 1)"), count: 2) && raced.again,
                "the whole batch is rebuilt on the new tip")
        let lastRace = AutolandBatch.decide(.lostRace(message: "new heads"), built: built, number: 3, maxAttempts: 3)
        #expect(lastRace.inputs == Array(repeating: .pushFailed(reason: "lost 3 push races in a row: new heads"), count: 2) && !lastRace.again)
        let refused = AutolandBatch.decide(.pushFailed(message: "hook said no"), built: built, number: 1, maxAttempts: 3)
        #expect(refused.inputs == [.pushRefused(reason: "hook said no"), .pushRefused(reason: "hook said no")] && !refused.again)
    }
}
