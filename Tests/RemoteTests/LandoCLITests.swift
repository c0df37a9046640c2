import Foundation
import LocalServices
import RepoOps
import SyncCore
import TestSupport
import Testing

/// Mozilla's own client, lando-cli (`pip install lando-cli`), against the local Lando: its
/// `push-commits` reads `repoinfo`, sends each new commit of the clone as `git format-patch`
/// output and follows the job; `check-job` reads a failed one (skipped when it is not installed).
@Suite("Local Lando with lando-cli")
struct LandoCLITests {
    @Test(.enabled(if: PythonCrossCheck.available("lando_cli")))
    func pushCommitsLandsTheCloneCommitsAndMovesTheBranch() throws {
        let world = try LandoWorld(automatic: true)
        let base = try world.landed()
        try world.commit(["README": "line 1\nline two\n"], message: "Bug 2 - change README")
        try world.commit(["testing/web-platform/tests/e.html": "<p>e</p>\n"], message: "Bug 3 - add e.html")

        let out = try lando(["push-commits", "--lando-repo", LandoWorld.repository, "--yes"], world)
        #expect(out.status == 0, "\(out.text)")
        #expect(out.text.contains("Job 1 landed successfully."), "\(out.text)")
        let head = try world.landed()
        #expect(head != base)
        #expect(try git(["rev-parse", "\(head)^{tree}"], in: world.bare) == world.cloneTree())
        #expect(try git(["log", "--format=%s", "\(base)..\(head)"], in: world.bare) == "Bug 3 - add e.html\nBug 2 - change README")
        let submission = try #require(world.lando.requests.first { $0.method == "POST" })
        #expect(submission.path == "/api/repo/\(LandoWorld.repository)" && submission.status == 202)
        #expect(submission.headers["authorization"] == "Bearer \(LandoWorld.token)")
    }

    @Test(.enabled(if: PythonCrossCheck.available("lando_cli")))
    func checkJobReportsAFailedJobWithLandosError() throws {
        let world = try LandoWorld(automatic: true)
        world.lando.moveBaseBeforeNextJob(repository: LandoWorld.repository, path: "README", contents: "line 1\nother\n")
        try world.commit(["README": "line 1\nline two\n"], message: "Bug 2 - change README")
        let pushed = try lando(["push-commits", "--lando-repo", LandoWorld.repository, "--yes"], world)
        #expect(pushed.text.contains("Job 1 failed!"), "\(pushed.text)")

        let checked = try lando(["check-job", "1"], world)
        #expect(checked.text.contains("Job 1 failed!") && checked.text.contains("README: patch does not apply"), "\(checked.text)")
        #expect(world.lando.jobs.map(\.status) == [.failed])
    }

    /// Runs lando-cli in the clone with its settings from the environment only (no config file).
    private func lando(_ arguments: [String], _ world: LandoWorld) throws -> (status: Int32, text: String) {
        let out = try ProcessRunner.run("python3", ["-c", "from lando_cli.cli import cli; cli()"] + arguments,
                                        in: world.clone, extraEnvironment: testEnvironment.merging([
                                            "LANDO_URL": world.lando.url, "LANDO_HEADLESS_API_TOKEN": LandoWorld.token,
                                            "LANDO_USER_EMAIL": "wptsync@mozilla.com",
                                            "LANDO_CONFIG_PATH": world.dir.sub("no-lando.toml"),
                                        ]) { $1 }, timeout: 120)
        return (out.status, out.stdoutString + out.stderrString)
    }
}
