import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Downstream try pushes through Lando's try API (`[downstream] try_push = "lando"`), as production
/// makes them since 2026: the PR's try commit goes to the local Lando as one `git format-patch` on
/// its mozilla-central base; Lando applies it there and force-pushes it to the real try repository's
/// branch, and the try push is the commit Lando wrote. Sent once, also when Lando's answer is lost;
/// Lando's refusals are said on the sync and retried.
@Suite("Downstream try pushes through Lando", .serialized)
struct LandoTryDownstreamTests {
    final class World {
        let base: MetadataLandingTests.World
        let lando: LocalLando

        /// `waitSeconds`: how long a submission whose answer was lost is looked for on try before it waits for a
        /// person; `automatic`: Lando's worker runs jobs by itself (else `lando.runPendingJobs()`).
        init(waitSeconds: Double = 600, automatic: Bool = true) throws {
            lando = try LocalLando(repositories: [], automatic: automatic)
            let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("lando-try-token-\(UUID().uuidString)").path
            try writeFile(tokenFile, (LocalLando.defaultTokens.keys.first ?? "") + "\n")
            base = try MetadataLandingTests.World(gecko: .git, extraDownstream: """
                try_push = "lando"
                lando_url = "\(lando.url)"
                lando_token_file = "\(tokenFile)"
                lando_wait_seconds = \(waitSeconds)
                """)
            var repository = LandoRepository(name: "try", path: base.tryRepo.path, branch: "try")
            repository.isTry = true
            repository.requiredPermission = "main.scm_level_1"
            repository.pullPath = base.landing.world.central
            lando.addRepository(repository)
        }

        deinit { lando.stop() }

        /// Opens and approves a PR, then processes until its try push has a revision (bounded).
        func approvedPullRequest() throws -> (pr: (number: Int, head: String, branch: String), outputs: [String]) {
            let pr = try base.landing.openUpstreamPR([MetadataLandingTests.test: "<title>gap</title>\n"], title: "Test grid gaps")
            #expect(try base.approve(pr) == 202)
            return (pr, try processUntilTried(pr.number))
        }

        /// Processes until the PR's last try push has a revision or waits for a person (bounded); the outputs.
        func processUntilTried(_ number: Int) throws -> [String] {
            var outputs = try base.landing.upstreamWorld.processUntilSettled()
            try waitUntil(limit: 5) {
                let last = try sync(number)?.tryPushes.last
                if last?.revision != nil || last?.lando?.stopped != nil { return true }
                outputs += try base.landing.upstreamWorld.processUntilSettled(passes: 1)
                return false
            }
            return outputs
        }

        func sync(_ number: Int) throws -> DownstreamSync? {
            try SQLiteJournal(path: base.landing.world.store).downstreamSync(pullRequest: number)
        }

        func show(_ number: Int) throws -> String { try base.landing.world.wptsync(["show", "downstream", "\(number)"]) }

        var tryRequests: [RecordedRequest] { lando.requests.filter { $0.method == "POST" && $0.path == "/api/try/patches" } }
    }

    @Test func aPullRequestsTryRunGoesThroughLandoAndItsResultsBecomeItsMetadata() throws {
        let w = try World()
        let (pr, outputs) = try w.approvedPullRequest()
        let shown = try w.show(pr.number)
        let job = try #require(w.lando.jobs.first, "no Lando job: \(shown)\n\(outputs.joined(separator: "\n"))")
        #expect(w.lando.jobs.count == 1 && job.repository == "try" && job.status == .landed, "\(w.lando.jobs)")
        let revision = try #require(job.landedCommit)
        // The commit Lando wrote is the try push: on try's branch, on central's tip, with the PR's test.
        #expect(try w.base.tryPushes() == [revision])
        #expect(try w.base.tryRepo.parent(of: revision) == w.base.centralTip())
        #expect(try w.base.tryRepo.file("try_task_config.json", at: revision).contains("testing/web-platform/tests/" + MetadataLandingTests.test))
        #expect(try w.sync(pr.number)?.tryPushes.map(\.revision) == [revision], "\(shown)")
        #expect(try w.sync(pr.number)?.tryPushes.first?.lando?.job == job.id)
        #expect(try w.show(pr.number).contains("through Lando job \(job.id)"))
        let body = try #require(w.tryRequests.first?.body)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let central = try w.base.centralTip()
        #expect(sent["repo_name"] as? String == "try" && sent["base_commit_vcs"] as? String == "git"
                && sent["patch_format"] as? String == "git-format-patch" && sent["base_commit"] as? String == central)
        let bug = try #require(w.base.bugzilla.bugs.first)
        #expect(bug.comments.contains { $0.contains(revision) }, "the bug names the try push")

        // Its results come in: they become the PR's metadata.
        try w.base.finishTryRun(revision)
        _ = try w.base.landing.upstreamWorld.processUntilSettled()
        let after = try w.show(pr.number)
        #expect(after.contains("metadata from try push \(revision.prefix(12))") && after.contains(#"+      if os == "win": FAIL"#), "\(after)")
        #expect(w.tryRequests.count == 1, "sent once")
    }

    @Test func aSubmissionWhoseAnswerIsLostIsSentOnceAndFoundOnTry() throws {
        let w = try World()
        // Lando takes the job, then answers 502: wptsync cannot tell that it worked.
        w.lando.injectFault(.serverErrorAfterActing(status: 502), method: "POST", pathPrefix: "/api/try/patches")
        let (pr, outputs) = try w.approvedPullRequest()
        let log = outputs.joined(separator: "\n")
        #expect(log.contains("Lando's answer to the try submission was lost"), "said on the sync: \(log)")
        #expect(w.tryRequests.count == 1, "sent once: \(w.tryRequests.map(\.status))")
        let job = try #require(w.lando.jobs.first)
        #expect(w.lando.jobs.count == 1 && job.status == .landed)
        #expect(try w.base.tryPushes() == [try #require(job.landedCommit)])
        let shown = try w.show(pr.number)
        #expect(try w.sync(pr.number)?.tryPushes.map(\.revision) == [job.landedCommit], "\(shown)")
        #expect(try w.sync(pr.number)?.lastError == nil)
        // The token went only into the Authorization header: not into the log, the errors or what is shown.
        let token = try #require(LocalLando.defaultTokens.keys.first)
        let written = try String(contentsOfFile: w.base.landing.world.log, encoding: .utf8)
        #expect(!written.contains(token) && !log.contains(token) && !shown.contains(token))
        #expect(w.tryRequests.allSatisfy { $0.headers["authorization"] == "Bearer " + token && !$0.body.contains(token) })
    }

    @Test func aRefusalIsSaidOnTheSyncAndSentAgain() throws {
        // A refusal (before acting on the POST) is sent again at the next pass.
        let status = 400
        let w = try World()
        w.lando.injectFault(.errorMessage(status: 400, message: "Patch failed checks"), method: "POST", pathPrefix: "/api/try/patches")
        let (pr, outputs) = try w.approvedPullRequest()
        let log = outputs.joined(separator: "\n")
        #expect(log.contains("PR #\(pr.number): pushing to try:") && log.contains("\(status)"), "said on the sync: \(log)")

        let shown = try w.show(pr.number)
        #expect(w.tryRequests.map(\.status) == [status, 201], "sent again once: \(shown)")
        let job = try #require(w.lando.jobs.first, "\(shown)")
        #expect(w.lando.jobs.count == 1 && job.status == .landed)
        #expect(try w.sync(pr.number)?.tryPushes.map(\.revision) == [job.landedCommit])
        #expect(try w.sync(pr.number)?.lastError == nil, "\(shown)")
    }
}
