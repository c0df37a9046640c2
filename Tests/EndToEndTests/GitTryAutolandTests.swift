import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Autoland from a git try repository (`kind = "git"`, `role = "try"`, branch `try`), pushed to as
/// a person would (`git push try +HEAD:try`) through the real post-receive hook; landing on a git
/// autoland pushed directly or through a local Lando.
@Suite("Autoland from a git try repository", .serialized)
struct GitTryAutolandTests {
    private func requests(_ w: AutolandLandingWorld) throws -> [AutolandRequest] {
        try SQLiteJournal(path: w.world.store).autolandRequests(phases: nil)
    }

    @Test func aTryPushThatDoesNotAskForAutolandRecordsNothingElse() throws {
        let w = try AutolandLandingWorld("git-try-plain", geckoKind: .git)
        try w.git(["reset", "-q", "--hard", w.initialCommit])
        try w.commitInClone(["dom/base/Document.cpp": "int q;\n"], message: "Bug \(w.bug) - Try this r=bob")
        try w.commitInClone(["try_task_config.json": "{\"parameters\": {\"try_task_config\": {}}}\n"], message: "try: -b o -p linux64")
        try w.git(["push", "-q", w.tryRepo, "+HEAD:refs/heads/try"], env: ["USER": "alice@mozilla.com"])
        let output = try w.world.wptsync(["process", "--verbose"])
        let log = try String(contentsOfFile: w.world.log, encoding: .utf8) + output
        #expect(log.contains("push to try: no autoland request"), "the hook recorded the push and the worker read it")
        #expect(try requests(w).isEmpty)
        #expect(try w.autolandCount() == 1 && !w.comments.contains { $0.hasPrefix("Autoland") })
    }

    @Test func aForcedTryPushAsksToLandOnlyItsOwnCommits() throws {
        let w = try AutolandLandingWorld("git-try-forced", geckoKind: .git)
        let first = try w.pushToTry("int a;\n")
        // The fix amended and pushed over the first push (`git push try +HEAD:try` again).
        let second = try w.pushToTry("int b;\n")
        #expect(first.fix != second.fix)
        let all = try requests(w)
        #expect(all.count == 2)
        let request = try #require(all.first { $0.tip == second.tip })
        #expect(request.nodes == [second.fix], "only the pushed fix: neither the try commit, nor central's commits, nor the first push's")
        #expect(request.requester == "alice@mozilla.com" && request.bugs == [w.bug])

        let push = w.queue.scheduleTryPush(project: "try", revision: second.tip, tests: ["/dom/a.html"])
        w.queue.resolveAll(group: push.decisionTaskID)
        try w.world.wptsync(["process"])
        let landed = try #require(try requests(w).first { $0.tip == second.tip })
        #expect(try landed.state.phase == .landed && landed.state.landedNode == w.autolandCommit().node)
        #expect(try w.autolandFile("dom/base/Document.cpp") == "int b;\n")
    }

    /// The developer's try push sits on 200 central commits the try repository never had, and central
    /// moved on before the worker read it: old..new holds those 200, none of them read. One of them
    /// has a message that is not UTF-8, which reading it would refuse.
    @Test func aTryPushOverHundredsOfCentralCommitsReadsOnlyItsOwn() throws {
        let w = try AutolandLandingWorld("git-try-over-central", geckoKind: .git)
        try w.git(["reset", "-q", "--hard", w.initialCommit])
        let notUTF8 = w.world.geckoClone + "/../latin1-message"
        try Data("Bug 7 - Caf".utf8 + [0xE9] + Array(" r=bob\n".utf8)).write(to: URL(fileURLWithPath: notUTF8))
        try w.git(["-c", "i18n.commitEncoding=latin1", "commit", "-q", "--allow-empty", "-F", notUTF8])
        for n in 1..<200 { try w.git(["commit", "-q", "--allow-empty", "-m", "Bug \(n) - Central change r=eve"]) }
        // Into central without its hook, as the mirror would bring them.
        try sh("git", ["fetch", "-q", w.world.geckoClone, "HEAD:refs/heads/main"], in: w.world.central)
        let fix = try w.commitInClone(["dom/base/Document.cpp": "int c;\n"], message: "Bug \(w.bug) - Fix the document r=bob")
        let tip = try w.commitInClone(["try_task_config.json": "{}\n"], message: "try: -b o --autoland")
        try w.git(["push", "-q", w.tryRepo, "+HEAD:refs/heads/try"], env: ["USER": "alice@mozilla.com"])
        try w.git(["reset", "-q", "--hard", "HEAD~2"])
        try w.git(["commit", "-q", "--allow-empty", "-m", "Bug 8 - Central moves on r=eve"])
        try sh("git", ["fetch", "-q", w.world.geckoClone, "HEAD:refs/heads/main"], in: w.world.central)

        let output = try w.world.wptsync(["process", "--verbose"])
        let request = try #require(try requests(w).first, "no request: \(output)")
        #expect(request.tip == tip && request.nodes == [fix], "only the fix, none of central's 200 commits")
    }

    @Test func throughLandoTheRequestLandsAsOneJobWithItsAuthorAndMessage() throws {
        let w = try AutolandLandingWorld("git-try-lando", geckoKind: .git, lando: true)
        let lando = try #require(w.lando)
        let other = try w.landOnAutoland("layout/other.cpp", "other\n")
        let pushed = try w.pushToTry()
        let run = w.queue.scheduleTryPush(project: "try", revision: pushed.tip, tests: ["/dom/a.html"])
        w.queue.resolveAll(group: run.decisionTaskID)
        try w.world.wptsync(["process"])
        let submitted = try w.request()
        #expect(submitted.state.phase == .landing && submitted.state.lando?.job == lando.jobs.first?.id, "\(submitted.state)")
        #expect(try w.autolandCommit().node == other, "Lando has not run the job yet")

        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(landed.state.phase == .landed && landed.state.lando == nil)
        #expect(lando.jobs.map(\.status) == [.landed] && lando.requests.filter { $0.method == "POST" }.count == 1)
        let tip = try w.autolandCommit()
        #expect(landed.state.landedNode == tip.node, "the commit as Lando wrote it")
        #expect(tip.author == AutolandLandingWorld.author && tip.message == "Bug \(w.bug) - Fix the document r=bob" && tip.parent == other)
        #expect(w.comments.filter { $0.hasPrefix("Autoland landed this on autoland as \(tip.node).") }.count == 1, "\(w.comments)")
    }

    /// What a crash between the submission and saving Lando's answer leaves (the submission
    /// recorded, no job id) is what a lost answer leaves: the branch is looked at, nothing is sent twice.
    @Test func aCrashBetweenTheLandoSubmissionAndItsRecordSubmitsOnce() throws {
        let w = try AutolandLandingWorld("git-try-lando-crash", geckoKind: .git, lando: true)
        let lando = try #require(w.lando)
        lando.injectFault(.serverErrorAfterActing(status: 502), method: "POST", pathPrefix: "/api/repo/")
        let pushed = try w.pushToTry()
        try w.passRun(pushed.tip)
        let waiting = try w.request()
        #expect(lando.jobs.count == 1)
        #expect(waiting.state.phase == .landing && waiting.state.lando != nil && waiting.state.lando?.job == nil, "\(waiting.state)")
        #expect(waiting.state.reason?.contains("its answer was lost") == true, "\(waiting.state)")

        try w.world.wptsync(["process"])
        #expect(lando.jobs.count == 1, "not submitted again while Lando may have taken it")

        lando.runPendingJobs()
        try w.world.wptsync(["process"])
        let landed = try w.request()
        #expect(landed.state.phase == .landed && lando.jobs.count == 1, "found on the branch, submitted once")
        #expect(try w.autolandCommit().node == landed.state.landedNode && w.autolandCount() == 2)
    }
}
