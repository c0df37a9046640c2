import Foundation
import LocalServices
import SyncCore
import Testing
import TestSupport

/// Landing into git Gecko through a local Lando (`[landing] lando_url`): one job per landing,
/// read once per pass until it lands; a closed tree, a moved base, a cancellation and a lost answer.
@Suite("Landing through Lando", .serialized)
struct LandoLandingTests {
    private func land(_ l: LandingWorld) throws {
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
    }

    private func upstreamHead(_ l: LandingWorld) throws -> String {
        try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits (bounded) until `condition` holds.
    private func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<400 {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test("a landing is one Lando job of format-patch actions; LANDED: pushed with Lando's commits, then followed to central")
    func landed() throws {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let lando = try #require(l.lando)
        let before = try l.autolandTip
        let pr = try l.mergeUpstreamPR(["css/lando.html": "<p>lando</p>\n"], title: "Land through Lando")
        try land(l)
        #expect(try l.autolandSummaries(after: before) == [
            "Bug \(l.bug) [wpt PR \(pr)] - Land through Lando, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly",
        ])
        #expect(try l.autolandFile("testing/web-platform/tests/css/lando.html") == "<p>lando</p>\n")
        #expect(try l.autolandCommit(back: 1).author == "Upstream Author <author@example.com>")
        #expect(lando.jobs.map(\.status) == [.landed])
        let submissions = lando.requests.filter { $0.method == "POST" }
        #expect(submissions.count == 1)
        let landing = try #require(try l.landings().first)
        #expect(landing["status"] as? String == "pushed" && landing["lando_job"] as? Int == lando.jobs.first?.id, "\(landing)")
        // Lando wrote the commits (its committer): the landing records them, not the ones wptsync built.
        #expect((landing["nodes"] as? [String])?.last == (try l.autolandTip))
        try l.pushAutolandToCentral()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.landings().first?["status"] as? String == "landed")
    }

    @Test("DEFERRED while the tree is closed: the landing waits; the same job is followed again until it lands")
    func deferredThenLanded() throws {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let lando = try #require(l.lando)
        lando.setTree("autoland", status: "closed", reason: "bustage")
        try l.mergeUpstreamPR(["d.html": "d\n"], title: "Deferred by Lando")
        try land(l)
        // Each pass reads the job once; Lando's worker tries it again now and then.
        try waitFor("a pass to read the job DEFERRED") {
            _ = try l.upstreamWorld.process()
            return (try l.landings().first?["waiting_for"] as? String)?.contains("Lando job 1 (DEFERRED") == true
        }
        let deferred = try #require(try l.landings().first)
        #expect(deferred["status"] as? String == "deferred", "\(deferred)")
        #expect((deferred["waiting_for"] as? String)?.contains("Lando job 1 (DEFERRED") == true, "\(deferred)")
        #expect(try l.autolandFile("testing/web-platform/tests/d.html") == nil)

        lando.setTree("autoland", status: "open")
        // Lando retries a deferred job on its own schedule; wptsync only reads what became of it.
        try waitFor("Lando to retry the deferred job") { lando.jobs.first?.status == .landed }
        let output = try l.world.wptsync(["continue", "landing"])
        #expect(output.contains("landing 1 landed by Lando job 1") || output.contains("landing 1 found on autoland"), "\(output)")
        #expect(lando.jobs.count == 1, "followed, never submitted again")
        #expect(try l.autolandFile("testing/web-platform/tests/d.html") == "d\n")
        #expect(try l.landings().first?["status"] as? String == "pushed")
    }

    @Test("a job FAILED because the base moved is rebuilt on the new tip and submitted again")
    func baseMovedIsRebuilt() throws {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let lando = try #require(l.lando)
        let syncPoint = try #require(try l.autolandFile("testing/web-platform/meta/mozilla-sync"))
        let before = try l.autolandTip
        // Another landing changes the sync-point file just before Lando runs the job: its patch no longer applies.
        lando.moveBaseBeforeNextJob(repository: "firefox-autoland", path: "testing/web-platform/meta/mozilla-sync",
                                    contents: syncPoint.replacingOccurrences(of: "local: 0", with: "local: concurrent"),
                                    message: "Bug 6 - a concurrent landing\n")
        let pr = try l.mergeUpstreamPR(["m.html": "m\n"], title: "Moved base")
        try land(l)
        #expect(lando.jobs.map(\.status) == [.failed, .landed])
        #expect(lando.jobs.first?.error.contains("could not apply patch") == true)
        #expect(try l.autolandSummaries(after: before) == [
            "Bug 6 - a concurrent landing",
            "Bug \(l.bug) [wpt PR \(pr)] - Moved base, a=testonly",
            "Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(try upstreamHead(l)), a=testonly",
        ])
        let landing = try #require(try l.landings().first)
        #expect(landing["status"] as? String == "pushed" && landing["attempts"] as? Int == 1, "\(landing)")
    }

    @Test("a job cancelled in Lando is an error on the landing, which waits for a person; continue landing submits it again")
    func cancelledWaitsForAPerson() throws {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let lando = try #require(l.lando)
        lando.setTree("autoland", status: "closed", reason: "bustage")
        try l.mergeUpstreamPR(["x.html": "x\n"], title: "Cancelled")
        try land(l)
        // The worker retries the deferred job now and then; it can be cancelled between tries.
        try waitFor("job 1 to be cancelled") { lando.cancel(job: 1) }
        lando.setTree("autoland", status: "open")
        _ = try l.world.wptsyncResult(["continue", "landing"])
        let stuck = try #require(try l.landings().first)
        #expect(stuck["status"] as? String == "needs-fixup", "\(stuck)")
        #expect((stuck["last_error"] as? String)?.contains("Lando job 1 CANCELLED") == true, "\(stuck)")
        #expect(try l.world.wptsyncResult(["status"]).status == 1, "a landing that needs a person pages")
        #expect(try l.autolandFile("testing/web-platform/tests/x.html") == nil)

        #expect(try l.world.wptsync(["continue", "landing"]).contains("deferred: waiting for Lando job 2 (SUBMITTED)"))
        try waitFor("Lando to land job 2") { lando.jobs.last?.status == .landed }
        let landed = try l.world.wptsync(["continue", "landing"])
        #expect(landed.contains("landed by Lando job 2") || landed.contains("landing 1 found on autoland"), "\(landed)")
        #expect(lando.jobs.count == 2)
        #expect(try l.autolandFile("testing/web-platform/tests/x.html") == "x\n")
    }

    /// A PR landed through a Lando that takes the job and then answers 502: the answer is lost.
    private func landingWhoseAnswerIsLost(_ file: String) throws -> (LandingWorld, LocalLando) {
        let l = try LandingWorld(geckoKind: .git, lando: true, automatic: false)
        let lando = try #require(l.lando)
        lando.injectFault(.serverErrorAfterActing(status: 502), method: "POST", pathPrefix: "/api/repo/")
        try l.mergeUpstreamPR([file: "\(file)\n"], title: "Lost answer for \(file)")
        try land(l)
        return (l, lando)
    }

    @Test("an answer lost after Lando took the job (5xx, as a crash would lose it): the branch is checked, nothing is submitted twice")
    func lostAnswerIsNotSubmittedTwice() throws {
        let (l, lando) = try landingWhoseAnswerIsLost("lost.html")
        #expect(lando.jobs.count == 1)
        let waiting = try #require(try l.landings().first)
        #expect(waiting["status"] as? String == "deferred" && waiting["lando_job"] == nil, "\(waiting)")

        // Lando has not run it yet: wptsync waits rather than submit again.
        _ = try l.world.wptsyncResult(["continue", "landing"])
        #expect(lando.jobs.count == 1)

        lando.runPendingJobs()
        #expect(lando.jobs.map(\.status) == [.landed])
        _ = try l.world.wptsync(["continue", "landing"])
        #expect(lando.jobs.count == 1, "the landing commit was found on the branch")
        #expect(try l.landings().first?["status"] as? String == "pushed")
        #expect(try l.autolandFile("testing/web-platform/tests/lost.html") == "lost.html\n")
    }

    @Test("a crash after submitting, before the job id was saved, leaves the landing deferred for the periodic retry, not open")
    func crashBeforeTheJobIdIsSavedDefersTheLanding() throws {
        let (l, lando) = try landingWhoseAnswerIsLost("crash.html")
        // What a crash between the submission and saving Lando's answer leaves: submitted, no job, still open.
        _ = try sh("sqlite3", [l.world.store, "UPDATE landings SET status = 'open', record = json_set(record, '$.status', 'open')"])
        #expect(try l.landings().first?["status"] as? String == "open")

        _ = try l.world.wptsyncResult(["continue", "landing"])
        #expect(lando.jobs.count == 1, "not submitted again while Lando may have taken it")
        let waiting = try #require(try l.landings().first)
        #expect(waiting["status"] as? String == "deferred", "\(waiting)")
    }
}

@Suite("check-config --online and Lando", .serialized)
struct LandoCheckConfigTests {
    @Test("check-config --online asks Lando for the repository with the token, and names a refused token")
    func onlineAsksLando() throws {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let good = try l.world.wptsyncResult(["check-config", "--online"]).stdoutString
        #expect(good.contains("ok: landing lando_repo firefox-autoland (token from environment variable WPTSYNC_TEST_LANDO_TOKEN): Lando http://127.0.0.1:"),
                "\(good)")
        #expect(good.contains("lands it on branch autoland (scm_level_3)"), "\(good)")
        l.world.environment["WPTSYNC_TEST_LANDO_TOKEN"] = "wrong-lando-token"
        let wrong = try l.world.wptsyncResult(["check-config", "--online"])
        #expect(wrong.status == 1)
        #expect(wrong.stdoutString.contains("FAILED: landing lando_repo firefox-autoland") && wrong.stdoutString.contains("401"), "\(wrong.stdoutString)")
        #expect(!(wrong.stdoutString + wrong.stderrString).contains("wrong-lando-token"), "the token is never printed")
    }
}
