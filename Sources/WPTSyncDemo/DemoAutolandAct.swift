import Foundation
import LocalServices
import Remote
import Store
import SyncCore
import WPTSyncKit
import WebhookService

/// The demo's autoland act (issue 14): Alice, level 3 in the groups file, pushes a fix to try
/// asking for autoland; one job fails, the worker retriggers it, the retrigger passes and the fix
/// lands on autoland. Her second request's retrigger fails again: it waits in the sheriff queue,
/// and Sam, a sheriff, lands it through the form of `wptsync serve`'s page. With git Gecko, try is
/// a git branch pushed with `git push try +HEAD:try`, and the landings go through the local Lando.
struct DemoAutolandAct {
    let world: DemoWorld
    let taskcluster: LocalTaskcluster
    let treeherder: LocalTreeherder
    let bugzilla: LocalBugzilla
    let webhooks: DemoWebhooks
    let journal: any EventJournal & RecordStore
    let say: (String) -> Void
    let drain: (String) throws -> Void

    static let developer = "alice@mozilla.com"
    static let sheriff = "sam"
    /// The groups file `[autoland] groups_file` names.
    static let groups = "\(developer): active_scm_level_3\n\(sheriff): sheriffs active_scm_level_3\n"

    /// Steps `first` to `first + 4` of the timeline.
    func run(first step: Int) throws {
        let bug = try BugzillaClient(restURL: bugzilla.restURL, apiKey: Token(Demo.bugzillaKey))
            .createBug(NewBug(product: "Core", component: "DOM: Core & HTML", summary: "Document needs fixing", description: "It does."))
        let first = try world.pushToTry(path: "dom/base/Document.cpp", contents: "// Gecko, fixed\n",
                                        message: "Bug \(bug) - Fix the document. r=bob", user: Self.developer)
        say("\(step). Alice (level 3) pushed \(first.fix.prefix(12)) \"Bug \(bug) - Fix the document\" to try, its tip saying"
            + " `try: -b o --autoland`; the try repository's hook recorded it; the worker:")
        try drain("the try push")
        let request = try self.request(tip: first.tip, phase: .watching)
        say("   → autoland request #\(request.id) checked Alice's level and watches try push \(first.tip.prefix(12)) in Treeherder")

        let run = taskcluster.scheduleTryPush(revision: first.tip, tests: ["/dom/a.html"], author: Self.developer)
        let flaky = try failFirstJob(of: run) { say("\(step + 1). Taskcluster ran it and \($0) failed, the other jobs passed; the worker:") }
        say("   → it retriggered \(flaky.label) once (task \(flaky.taskID))")
        taskcluster.setState(flaky.taskID, .completed)
        say("\(step + 2). The retrigger passed; the worker:")
        try drain("the passing retrigger")
        let landed = try self.request(tip: first.tip, phase: .landed)
        let tip = try world.autolandTip()
        guard let node = landed.state.landedNode, tip == "\(node) \(world.developer) Bug \(bug) - Fix the document. r=bob",
              comments(bug).contains(where: { $0.hasPrefix("Autoland landed this on autoland as \(node).") }) else {
            throw Demo.StepFailed(description: "request #\(landed.id) did not land on autoland (its tip: \(tip); bug \(bug): \(comments(bug)))")
        }
        try drain("autoland's push")
        say("   → autoland's tip is the fix, rebased as \(node.prefix(12)) with its author and message"
            + (world.kind == .git ? " (replayed with libgit2, landed by a Lando job)" : "") + "; bug \(bug) says so")

        let second = try world.pushToTry(path: "dom/base/Element.cpp", contents: "// Elements\n",
                                         message: "Bug \(bug) - Fix the elements. r=bob", user: Self.developer)
        say("\(step + 3). Alice pushed a second fix (\(second.fix.prefix(12))) to try for autoland; the worker:")
        try drain("the second try push")
        let secondRun = taskcluster.scheduleTryPush(revision: second.tip, tests: ["/dom/b.html"], author: Self.developer)
        let broken = try failFirstJob(of: secondRun) { say("   → its run failed \($0) too; the worker:") }
        taskcluster.setState(broken.taskID, .failed)
        say("   → the retrigger failed again; the worker:")
        try drain("the failed retrigger")
        let queued = try self.request(tip: second.tip, phase: .queued)
        guard let job = queued.state.failedJobs.first, let note = treeherder.notes(jobID: job.jobID).first else {
            throw Demo.StepFailed(description: "request #\(queued.id) is queued without a Treeherder note on its failed job"
                                  + " (\(queued.treeherderNote ?? "nothing recorded"))")
        }
        say("   → request #\(queued.id) waits in the sheriff queue; Treeherder's job \(job.jobID) has the note \"\(note.text)\""
            + " by \(note.who), signed in with the tokens of `treeherder_access_token_file` and `treeherder_id_token_file`")

        let page = DemoSheriffPage(base: webhooks.base)
        try page.signIn(token: SheriffCredentials.issueToken(for: Self.sheriff, store: journal).token)
        try page.land(queued.id)
        // Through Lando, the page submitted a job, which the worker reads.
        if world.kind == .git { try drain("the sheriff's landing's Lando job") }
        let decided = try self.request(tip: second.tip, phase: .landed)
        say("\(step + 4). Sam, a sheriff, signed in on \(webhooks.base)/autoland with a token from `wptsync token issue` and pressed"
            + " Land on request #\(queued.id): autoland has it as \(decided.state.landedNode?.prefix(12) ?? "?"); the worker:")
        try drain("the sheriff's landing's push")
    }

    /// The one request of try push `tip`, which must be in `phase`.
    private func request(tip: String, phase: AutolandPhase) throws -> AutolandRequest {
        guard let request = try journal.autolandRequests(phases: nil).first(where: { $0.tip == tip }), request.state.phase == phase else {
            throw Demo.StepFailed(description: "try push \(tip.prefix(12)) has no autoland request in phase \(phase.rawValue): "
                                  + "\(try journal.autolandRequests(phases: nil).map { "#\($0.id) \($0.state.phase.rawValue)" })")
        }
        return request
    }

    /// Fails the first wpt task of `run` and passes the rest; says which (`announce`), lets the
    /// worker see it, and returns the retrigger it made.
    private func failFirstJob(of run: ScheduledTryPush, announce: (String) -> Void) throws -> LocalTaskSnapshot {
        guard let failing = run.wptTasks.first else { throw Demo.StepFailed(description: "the local Taskcluster scheduled no wpt task") }
        taskcluster.setState(failing.taskID, .failed)
        taskcluster.resolveAll(group: run.decisionTaskID)
        announce(failing.label)
        try drain("the failure of \(failing.label)")
        guard let retrigger = taskcluster.tasks(group: run.decisionTaskID).first(where: { $0.label == failing.label && $0.taskID != failing.taskID }) else {
            throw Demo.StepFailed(description: "\(failing.label) failed but the worker did not retrigger it")
        }
        return retrigger
    }

    private func comments(_ bug: Int) -> [String] { bugzilla.bug(bug)?.comments ?? [] }
}
