import Foundation
import LocalServices
import Remote
import RepoOps
import SyncCore
import TestSupport
import Testing

/// The local Lando against real repositories: a job really applies `git format-patch` output
/// and moves the branch, fails when the series does not apply, and waits while the tree is closed.
@Suite("Local Lando")
struct LocalLandoTests {
    @Test func aFormatPatchSeriesLandsOnTheBranchWithItsAuthorsAndMessages() throws {
        let world = try LandoWorld()
        let base = try world.landed()
        let first = try world.commit(["README": "line 1\nline two\n"], message: "Bug 2 - change README\n\nWith a body.",
                                     author: "Ann Author <ann@example.com>")
        let second = try world.commit(["testing/web-platform/tests/b.html": "<p>b</p>\n"], message: "Bug 3 - add b.html")
        let client = world.client()

        let submitted = try client.submit(repository: LandoWorld.repository, patches: [first, second])
        #expect(submitted.status == .submitted)
        #expect(submitted.statusURL == "\(world.lando.url)/api/job/\(submitted.id)")
        #expect(try world.landed() == base, "nothing lands before the worker runs")
        world.lando.runPendingJobs()

        let job = try client.job(submitted.id)
        #expect(job.status == .landed, "\(job.error ?? "")")
        #expect(job.message == "Job is in the LANDED state.")
        let head = try world.landed()
        #expect(world.lando.jobs.map(\.landedCommit) == [head])
        // The branch holds exactly the clone's tree, two commits above the base.
        #expect(try git(["rev-parse", "\(head)^{tree}"], in: world.bare) == world.cloneTree())
        #expect(try git(["rev-parse", "\(head)~2"], in: world.bare) == base)
        let log = try git(["log", "--format=%an <%ae>|%cn|%B%x00", "\(base)..\(head)"], in: world.bare)
        let entries = log.split(separator: "\0").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let authored = try git(["log", "--format=%an %ae %ad", "--date=raw", "-2", "HEAD"], in: world.clone)
        #expect(try git(["log", "--format=%an %ae %ad", "--date=raw", "\(base)..\(head)"], in: world.bare) == authored)
        #expect(entries == ["Test User <test@example.com>|wptsync@mozilla.com|Bug 3 - add b.html",
                            "Ann Author <ann@example.com>|wptsync@mozilla.com|Bug 2 - change README\n\nWith a body."])
    }

    @Test func commitsFormattedWithLibgit2LandBinaryFilesIncluded() throws {
        let world = try LandoWorld()
        try writeFile("\(world.clone)/testing/web-platform/tests/img.png", [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 0xFF, 0])
        try world.commit(["README": "line 1\nline 2\nline 3\n", "testing/web-platform/tests/a.html": "<p>A</p>\n"],
                         message: "Bug 2 - an image and an edit\n\nBody.", author: "Ann Author <ann@example.com>")
        let repository = try GitRepository.open(at: world.clone)
        let patch = try repository.formatPatch(try repository.resolve("HEAD"))
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        world.lando.runPendingJobs()

        #expect(try client.job(submitted.id).status == .landed)
        #expect(try git(["rev-parse", "autoland^{tree}"], in: world.bare) == world.cloneTree())
        let format = ["log", "-1", "--format=%an <%ae> %ad%n%B", "--date=raw"]
        #expect(try git(format + ["autoland"], in: world.bare) == git(format + ["HEAD"], in: world.clone))
    }

    @Test func aSeriesThatNoLongerAppliesFailsNamingTheFileAndLeavesTheBranch() throws {
        let world = try LandoWorld()
        let first = try world.commit(["testing/web-platform/tests/c.html": "<p>c</p>\n"], message: "Bug 2 - add c")
        let second = try world.commit(["README": "line 1\nline two\n"], message: "Bug 3 - change README")
        // Another landing changes README's second line first: the base moved under the job.
        world.lando.moveBaseBeforeNextJob(repository: LandoWorld.repository, path: "README", contents: "line 1\nline 2 moved\n")
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [first, second])
        world.lando.runPendingJobs()

        let job = try client.job(submitted.id)
        #expect(job.status == .failed)
        let error = job.error ?? ""
        #expect(error.hasPrefix("Aborting, could not apply patch in `add-commit-base64` action #1."))
        #expect(error.contains("README: patch does not apply"), "\(error)")
        // Nothing of the series landed, not even the first patch: the branch is the other landing.
        let head = try world.landed()
        #expect(try git(["log", "-1", "--format=%s", head], in: world.bare) == "Bug 1 - a concurrent landing")
        #expect(try git(["ls-tree", "--name-only", "-r", head], in: world.bare).contains("c.html") == false)
    }

    @Test func aClosedTreeDefersTheJobUntilItReopens() throws {
        let world = try LandoWorld()
        let base = try world.landed()
        let patch = try world.commit(["README": "line 1\nline 2\nline 3\n"], message: "Bug 2 - grow README")
        world.lando.setTree("autoland", status: "closed", reason: "bustage")
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])

        world.lando.runPendingJobs()
        var job = try client.job(submitted.id)
        #expect(job.status == .deferred)
        #expect(job.error?.contains("TreeClosed") == true, "\(job.error ?? "")")
        world.lando.runPendingJobs()
        #expect(try client.job(submitted.id).status == .deferred, "still closed: deferred again")
        #expect(try world.landed() == base)
        #expect(try client.trees().first { $0.tree == "autoland" } == TreeStatus(tree: "autoland", status: "closed", reason: "bustage"))

        world.lando.setTree("autoland", status: "open")
        world.lando.runPendingJobs()
        job = try client.job(submitted.id)
        #expect(job.status == .landed)
        #expect(job.error == "")
        #expect(try git(["rev-parse", "autoland^{tree}"], in: world.bare) == world.cloneTree())
        #expect(world.lando.jobs.first?.attempts == 3)
    }

    @Test func aDeferredJobHoldsBackLaterJobsOfItsRepository() throws {
        let world = try LandoWorld(deferRetry: 3600)
        let first = try world.commit(["README": "line 1\nline 2\nline 3\n"], message: "Bug 2 - first")
        let second = try world.commit(["README": "line 1\nline 2\nline 3\nline 4\n"], message: "Bug 3 - second")
        let client = world.client()
        world.lando.setTree("autoland", status: "closed")
        let one = try client.submit(repository: LandoWorld.repository, patches: [first])
        world.lando.runPendingJobs()
        world.lando.setTree("autoland", status: "open")
        let two = try client.submit(repository: LandoWorld.repository, patches: [second])
        world.lando.runPendingJobs()
        // The first job waits for its next try; the second must not overtake it.
        #expect(try client.job(one.id).status == .deferred)
        #expect(try client.job(two.id).status == .submitted)
    }

    @Test func theWorkerThreadLandsJobsAsTheyCome() throws {
        let world = try LandoWorld(automatic: true)
        let patch = try world.commit(["testing/web-platform/tests/d.html": "<p>d</p>\n"], message: "Bug 4 - add d")
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        #expect(try waitUntil(limit: 30) { try client.job(submitted.id).status.isFinal })
        #expect(try client.job(submitted.id).status == .landed)
        #expect(try git(["rev-parse", "autoland^{tree}"], in: world.bare) == world.cloneTree())
    }

    @Test func submissionsAreRefusedAsLandoRefusesThem() throws {
        let hgDir = TempDir("lando-hg")
        var hg = LandoRepository(name: "mozilla-central", path: hgDir.sub("mc.git"), branch: "default")
        hg.isGit = false
        let world = try LandoWorld(tokens: [LandoWorld.token: LandoUser(email: "wptsync@mozilla.com"),
                                            "reader-token": LandoUser(email: "reader@mozilla.com", permissions: [])],
                                   extra: [hg])
        let patch = try world.commit(["README": "x\n"], message: "Bug 5 - x")
        func refusal(_ client: LandoClient, _ repo: String, _ patches: [[UInt8]]) -> RemoteError? {
            do { _ = try client.submit(repository: repo, patches: patches); return nil } catch { return error }
        }
        let client = world.client()
        let wrongToken = refusal(world.client(token: "not-a-token-123"), LandoWorld.repository, [patch])
        #expect(wrongToken?.httpStatus == 401)
        #expect(wrongToken.map { "\($0)".contains("not-a-token-123") } == false, "the token never shows in an error")
        #expect(refusal(client, "nowhere", [patch]).map { "\($0)" }?.contains("Repo nowhere does not exist.") == true)
        #expect(refusal(client, "mozilla-central", [patch]).map { "\($0)" }?.contains("Automation API is Git-only.") == true)
        let forbidden = refusal(world.client(token: "reader-token"), LandoWorld.repository, [patch])
        #expect(forbidden?.httpStatus == 403)
        #expect(forbidden.map { "\($0)" }?.contains("Missing permission: main.scm_allow_direct_push.") == true)
        #expect(refusal(client, LandoWorld.repository, [])?.httpStatus == 422)
        #expect(world.lando.jobs.isEmpty)
        #expect(throws: RemoteError.self) { try client.job(42) }
    }

    @Test func repoInfoAndTheCommitMapAnswerLikeLando() throws {
        let world = try LandoWorld()
        let client = world.client()
        let info = try client.repoInfo(LandoWorld.repository)
        #expect(info == LandoRepoInfo(repoUrl: world.bare, branchName: "autoland", scmLevel: "scm_level_3"))
        let gitHash = try world.landed()
        let hgHash = String(repeating: "ab", count: 20)
        world.lando.mapCommits(git: gitHash, hg: hgHash)
        #expect(try client.gitHash(hg: hgHash) == gitHash)
        #expect(try client.hgHash(git: String(gitHash.prefix(12))) == hgHash, "git2hg takes a short hash")
        #expect(try client.gitHash(hg: String(repeating: "cd", count: 20)) == nil)
        #expect(try client.hgHash(git: gitHash, repo: "thunderbird-desktop") == nil)
        // Without a token: the commit map and Treestatus are public, the headless API is not.
        let anonymous = world.lando.requests.filter { $0.path.hasPrefix("/api/hg2git") || $0.path.hasPrefix("/api/git2hg") }
        #expect(anonymous.allSatisfy { $0.headers["authorization"] == nil })
    }
}
