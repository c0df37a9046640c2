import Foundation
import SyncCore
import Testing

@Suite("Autoland state machine (pure)")
struct AutolandMachineTests {
    let settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland"], ignoredJobs: ["*-ccov/*", "lint-*"])

    func job(_ id: Int, _ name: String, _ result: String = "success", state: String = "completed", tier: Int? = 1) -> AutolandJob {
        AutolandJob(id: id, name: name, state: state, result: state == "completed" ? result : "unknown", taskID: "task\(id)", tier: tier)
    }

    func step(_ state: AutolandState, _ input: AutolandInput, _ settings: AutolandSettings? = nil, at time: Date = Date(timeIntervalSince1970: 0)) -> AutolandStep {
        AutolandMachine.step(state, input, tree: "autoland", settings: settings ?? self.settings, at: time)
    }

    var watching: AutolandState { AutolandState(phase: .watching) }
    var failedOnce: [AutolandJob] { [job(1, "build"), job(2, "wpt-1", "testfailed"), job(3, "wpt-2")] }

    @Test("transition table: phase × input → phase and effects")
    func table() {
        let refused = AccessVerdict.refused(reason: "alice is not in active_scm_level_3")
        let rows: [(AutolandState, AutolandInput, AutolandPhase, [AutolandEffect])] = [
            (.init(), .access(.granted), .watching, []),
            (.init(), .access(refused), .refused, [.comment("Autoland refused this request: alice is not in active_scm_level_3.")]),
            (.init(), .access(.unavailable(reason: "ldap down")), .requested, []),
            (.init(), .jobs(failedOnce), .requested, []),
            (watching, .jobs([job(1, "build", state: "running")]), .watching, []),
            (watching, .jobs([]), .watching, []),
            (watching, .jobs([job(1, "build"), job(2, "wpt-1")]), .landing, []),
            (watching, .jobs(failedOnce), .watching, [.retrigger([Retrigger(taskID: "task2", name: "wpt-1", count: 1)])]),
            (.init(phase: .landing), .landed(node: "abc"), .landed, [.comment("Autoland landed this on autoland as abc.")]),
            (.init(phase: .landing), .conflict(files: ["a.txt", "b/c.txt"]), .rejected,
             [.comment("Autoland could not land this: it no longer applies to autoland (conflicting files: a.txt, b/c.txt).")]),
            (.init(phase: .landing), .stripped(nodes: [String(repeating: "a", count: 40)]), .rejected,
             [.comment("Autoland could not land this: the try repository no longer has its changesets (aaaaaaaaaaaa); push them to try again with --autoland.")]),
            (.init(phase: .watching), .stripped(nodes: ["abc"]), .watching, []),
            (.init(phase: .landing), .treeClosed(reason: "bustage"), .landing, []),
            (.init(phase: .queued), .sheriffLand(by: "sheriff"), .landing,
             [.comment("A sheriff (sheriff) approved this autoland request: it lands on autoland.")]),
            (.init(phase: .landing), .built(node: "abc"), .landing, []),
            (.init(phase: .landing), .pushFailed(reason: "lost a push race (attempt 1)"), .landing, []),
            (.init(phase: .landing, attemptNode: "abc"), .pushRefused(reason: "hook refused"), .queued,
             [.comment("Autoland: autoland refused the push of this (hook refused); the request waits for a sheriff, who lands it again or rejects it.")]),
            (.init(phase: .batched), .pushRefused(reason: "hook refused"), .queued,
             [.comment("Autoland: autoland refused the push of this (hook refused); the request waits for a sheriff, who lands it again or rejects it.")]),
            (watching, .pushRefused(reason: "hook refused"), .watching, []),
            (.init(phase: .landing), .landoStopped(reason: "Lando job 7 CANCELLED"), .queued,
             [.comment("Autoland: Lando did not land this on autoland (Lando job 7 CANCELLED); the request waits for a sheriff, who lands it again or rejects it.")]),
            (.init(phase: .batched), .landoStopped(reason: "Lando job 7 FAILED: no"), .queued,
             [.comment("Autoland: Lando did not land this on autoland (Lando job 7 FAILED: no); the request waits for a sheriff, who lands it again or rejects it.")]),
            (watching, .landoStopped(reason: "Lando job 7 CANCELLED"), .watching, []),
            (.init(phase: .queued), .built(node: "abc"), .queued, []),
            (.init(phase: .queued), .sheriffReject(by: "sheriff", reason: "real failure"), .rejected,
             [.comment("A sheriff (sheriff) rejected this autoland request: real failure")]),
            (watching, .sheriffLand(by: "sheriff"), .watching, []),
            (.init(phase: .landed, landedNode: "abc"), .landed(node: "def"), .landed, []),
            (.init(phase: .refused), .access(.granted), .refused, []),
            (.init(phase: .rejected), .sheriffLand(by: "sheriff"), .rejected, []),
        ]
        for (state, input, phase, effects) in rows {
            let result = step(state, input)
            #expect(result.state.phase == phase, "\(state.phase) + \(input)")
            #expect(result.effects == effects, "\(state.phase) + \(input)")
        }
    }

    @Test("every step is idempotent: the same input again changes nothing and does nothing")
    func idempotence() {
        let inputs: [AutolandInput] = [
            .access(.granted), .access(.refused(reason: "no")), .access(.unavailable(reason: "down")), .jobs(failedOnce),
            .jobs([job(1, "build")]), .landed(node: "abc"), .conflict(files: ["a"]), .treeClosed(reason: "closed"),
            .stripped(nodes: ["abc"]), .sheriffLand(by: "s"), .sheriffReject(by: "s", reason: "r"), .built(node: "abc"), .pushFailed(reason: "refused"),
            .pushRefused(reason: "hook refused"), .pushInterrupted(reason: "lock held"),
            .landoSubmitted(submission(job: nil)), .landoSubmitted(submission(job: 7)), .landoWaiting(reason: "Lando job 7 (DEFERRED)"),
            .landoStopped(reason: "Lando job 7 CANCELLED"),
        ]
        for phase in AutolandPhase.allCases {
            for input in inputs {
                let once = step(AutolandState(phase: phase), input)
                let twice = step(once.state, input)
                #expect(twice.state == once.state, "\(phase) + \(input)")
                #expect(twice.effects.isEmpty, "\(phase) + \(input) twice: \(twice.effects)")
            }
        }
    }

    @Test("a failed job is retriggered once, then the retrigger decides: pass lands, fail queues and annotates")
    func retriggerOnce() {
        let first = step(watching, .jobs(failedOnce))
        #expect(first.state.retriggers == ["wpt-1": 1])
        // Treeherder does not list the retrigger yet: no second retrigger, still watching.
        #expect(step(first.state, .jobs(failedOnce)) == AutolandStep(state: first.state, effects: []))
        // Listed and running: waiting.
        #expect(step(first.state, .jobs(failedOnce + [job(4, "wpt-1", state: "pending")])).state.phase == .watching)
        let passed = step(first.state, .jobs(failedOnce + [job(4, "wpt-1")]))
        #expect(passed.state.phase == .landing && passed.effects.isEmpty)
        let failed = step(first.state, .jobs(failedOnce + [job(4, "wpt-1", "testfailed")]))
        let again = [FailedJob(name: "wpt-1", jobID: 4, taskID: "task4", result: "testfailed")]
        #expect(failed.state.phase == .queued && failed.state.failedJobs == again)
        #expect(failed.effects == [
            .annotate(again, note: "autoland held this push for the sheriffs: failed again after retrigger"),
            .comment("Autoland: wpt-1 failed again after retrigger; the request waits for a sheriff."),
        ])
    }

    @Test("max_retriggers: each failed label gets that many runs, all must pass; 0 queues at once")
    func maxRetriggers() {
        var two = settings
        two.maxRetriggers = 2
        let first = step(watching, .jobs(failedOnce), two)
        #expect(first.effects == [.retrigger([Retrigger(taskID: "task2", name: "wpt-1", count: 2)])])
        let mixed = step(first.state, .jobs(failedOnce + [job(4, "wpt-1"), job(5, "wpt-1", "testfailed")]), two)
        #expect(mixed.state.phase == .queued && mixed.state.failedJobs.map(\.jobID) == [5])
        #expect(step(first.state, .jobs(failedOnce + [job(4, "wpt-1"), job(5, "wpt-1")]), two).state.phase == .landing)

        var none = settings
        none.maxRetriggers = 0
        let queued = step(watching, .jobs(failedOnce), none)
        #expect(queued.state.phase == .queued && queued.state.failedJobs.map(\.jobID) == [2])
    }

    @Test("the job filter: higher tiers, ignored names and replaced runs are not looked at")
    func filter() {
        let jobs = [job(1, "build"), job(2, "wpt-1", "testfailed", tier: 3), job(3, "lint-eslint", "testfailed"),
                    job(4, "test-linux-ccov/opt-x", "busted"), job(5, "wpt-2", "retry"), job(6, "wpt-2"),
                    job(7, "wpt-3", state: "running", tier: 3)]
        #expect(step(watching, .jobs(jobs)).state.phase == .landing)
        var strict = settings
        strict.maxTier = 3
        #expect(step(watching, .jobs(jobs), strict).state.phase == .watching, "tier 3 now counts, and one is running")
        // An exception or a cancelled run is a failure too.
        #expect(step(watching, .jobs([job(1, "a", "exception"), job(2, "b", "usercancel")])).effects
            == [.retrigger([Retrigger(taskID: "task1", name: "a", count: 1), Retrigger(taskID: "task2", name: "b", count: 1)])])
    }

    @Test("a refused access check is final and says why; an unavailable directory leaves the request waiting")
    func access() {
        let waiting = step(AutolandState(), .access(.unavailable(reason: "ldap://127.0.0.1:1 cannot be reached")))
        #expect(waiting.state.phase == .requested && waiting.state.reason == "waiting for the access check: ldap://127.0.0.1:1 cannot be reached")
        #expect(step(waiting.state, .access(.granted)).state == AutolandState(phase: .watching))
        let refused = step(AutolandState(), .access(.refused(reason: "bob is in expired_scm_level_3")))
        #expect(refused.state.reason == "bob is in expired_scm_level_3")
        #expect(step(refused.state, .sheriffLand(by: "s")).ignored == "landing by a sheriff does not apply to a request that is refused")
    }

    @Test("a retrigger's task id is a slugid derived from the request, the label and the run")
    func retriggerTaskIDs() {
        let id = AutolandRun.retriggerTaskID(request: 1, tip: "abc", label: "wpt-1", index: 0)
        #expect(SlugID.isValid(id))
        #expect(id == AutolandRun.retriggerTaskID(request: 1, tip: "abc", label: "wpt-1", index: 0))
        let others = [AutolandRun.retriggerTaskID(request: 2, tip: "abc", label: "wpt-1", index: 0),
                      AutolandRun.retriggerTaskID(request: 1, tip: "abc", label: "wpt-2", index: 0),
                      AutolandRun.retriggerTaskID(request: 1, tip: "abc", label: "wpt-1", index: 1)]
        #expect(Set(others + [id]).count == 4)
    }

    private func submission(job: Int?) -> AutolandLandoSubmission {
        AutolandLandoSubmission(job: job, submittedAt: Date(timeIntervalSince1970: 5), base: "base", nodes: ["a", "b"], markers: ["Bug 1 - Fix"])
    }

    @Test("a Lando submission is kept, before and after Lando answers, until the request lands or the job fails")
    func landoSubmission() {
        let sent = step(AutolandState(phase: .landing), .landoSubmitted(submission(job: nil)))
        #expect(sent.state.lando == submission(job: nil) && sent.state.attemptNode == "b" && sent.state.reason == "being submitted to Lando")
        let answered = step(sent.state, .landoSubmitted(submission(job: 7)))
        #expect(answered.state.lando?.job == 7 && answered.state.reason == "submitted to Lando as job 7" && answered.effects.isEmpty)
        let waiting = step(answered.state, .landoWaiting(reason: "Lando job 7 (DEFERRED)"))
        #expect(waiting.state.phase == .landing && waiting.state.lando?.job == 7 && waiting.state.reason == "waits for Lando: Lando job 7 (DEFERRED)")
        #expect(step(waiting.state, .pushFailed(reason: "Lando job 7 FAILED")).state.lando == nil, "a job failed on a moved base is built and submitted again")
        let stopped = step(waiting.state, .landoStopped(reason: "Lando job 7 FAILED: refused"))
        #expect(stopped.state.phase == .queued && stopped.state.lando == nil && stopped.state.attemptNode == nil, "\(stopped.state)")
        #expect(stopped.state.reason == "Lando did not land it: Lando job 7 FAILED: refused")
        let again = step(stopped.state, .sheriffLand(by: "sheriff"))
        #expect(again.state.phase == .landing && again.state.lando == nil, "a sheriff's landing builds and submits it anew")
        let landed = step(waiting.state, .landed(node: "c"))
        #expect(landed.state.phase == .landed && landed.state.lando == nil && landed.state.landedNode == "c")
        #expect(step(AutolandState(phase: .queued), .landoSubmitted(submission(job: 7))).ignored != nil)
    }
}
