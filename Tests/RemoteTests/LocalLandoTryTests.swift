import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// The local Lando's try API (`POST /api/try/patches`, `GET /landing_jobs/<id>/`) with
/// `LandoClient`: a try job applies its patch on its own base commit (fetched from the try
/// repository's pull path) and force-pushes the try branch; refusals have Lando's statuses and texts.
@Suite("Local Lando's try API")
struct LocalLandoTryTests {
    /// A `LandoWorld` whose Lando also serves the try repository `try` (`try.git` beside it, bare,
    /// empty: a job's base comes from `firefox.git`, its pull path).
    static func world(tokens: [String: LandoUser] = LocalLando.defaultTokens) throws -> LandoWorld {
        let world = try LandoWorld(tokens: tokens)
        try git(["init", "-q", "--bare", "-b", "main", world.dir.sub("try.git")], in: world.dir.path)
        var repository = LandoRepository(name: "try", path: world.dir.sub("try.git"), branch: "try")
        repository.isTry = true
        repository.requiredPermission = "main.scm_level_1"
        repository.pullPath = world.bare
        world.lando.addRepository(repository)
        return world
    }

    @Test func aTryJobLandsItsPatchOnItsBaseAndMovesTheTryBranch() throws {
        let world = try Self.world()
        let base = try world.landed()
        let patch = try world.commit(["testing/web-platform/tests/b.html": "<p>b</p>\n"], message: "try: wpt PR 1\n\nwpt-pr: 1")
        // Someone lands on autoland meanwhile: the try job stays on its own base.
        try world.commit(["README": "moved\n"], message: "Bug 9 - other")
        try git(["push", "-q", "origin", "autoland"], in: world.clone)
        let client = world.client()
        let id = try client.submitTry(repository: "try", base: base, baseVCS: "git", patches: [patch])
        #expect(try client.tryJob(id).status == .submitted)
        world.lando.runPendingJobs()

        let job = try client.tryJob(id)
        #expect(job.status == .landed, "\(job.error ?? "")")
        let commit = try #require(job.commitID)
        let tryRepo = world.dir.sub("try.git")
        #expect(try git(["rev-parse", "try"], in: tryRepo) == commit)
        #expect(try git(["rev-parse", "\(commit)^"], in: tryRepo) == base)
        #expect(try git(["show", "\(commit):testing/web-platform/tests/b.html"], in: tryRepo) == "<p>b</p>")
        #expect(try git(["log", "-1", "--format=%B", commit], in: tryRepo).trimmingCharacters(in: .whitespacesAndNewlines) == "try: wpt PR 1\n\nwpt-pr: 1")
    }

    @Test func refusalsHaveLandosStatusesAndTexts() throws {
        var tokens = LocalLando.defaultTokens
        tokens["level-0"] = LandoUser(email: "nobody@mozilla.com", permissions: [])
        let world = try Self.world(tokens: tokens)
        let base = try world.landed()
        let patch = try world.commit(["README": "x\n"], message: "try")
        func refusal(_ client: LandoClient, repository: String = "try", base: String, vcs: String = "git") -> String {
            do { _ = try client.submitTry(repository: repository, base: base, baseVCS: vcs, patches: [patch]); return "accepted" } catch { return "\(error)" }
        }
        #expect(refusal(world.client(token: "wrong"), base: base).contains("401"))
        #expect(refusal(world.client(token: "level-0"), base: base).contains("Missing permissions: main.scm_level_1"))
        #expect(refusal(world.client(), repository: "nope", base: base).contains("Repo nope does not exist."))
        #expect(refusal(world.client(), repository: LandoWorld.repository, base: base).contains("is not a Try repository"))
        #expect(refusal(world.client(), base: String(repeating: "a", count: 40), vcs: "hg").contains("Could not determine the equivalent base commit"))
        #expect(refusal(world.client(), base: "short").contains("422"))
        #expect(world.lando.jobs.isEmpty)
        let missing = { () -> String in do { _ = try world.client().tryJob(7); return "found" } catch { return "\(error)" } }()
        #expect(missing.contains("A landing job with ID 7 was not found."), "\(missing)")
    }
}
