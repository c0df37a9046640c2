import Foundation
import LocalServices
import Testing
import TestSupport

/// Issue 16, mirror setups (`[commit_map]`): a backout recognises the synced change whichever kind
/// of Gecko it was exported from and whichever hash it names: through the pushed repository and
/// Lando's `hg2git`/`git2hg`, or, for an hg node a git backout names, through the hg changesets
/// of the git commits the bug's syncs hold.
@Suite("Backouts across git and hg Gecko", .serialized)
struct MirroredBackoutTests {
    let wpt = "testing/web-platform/tests/"

    /// A git Gecko (autoland, central) with a Mercurial integration repository `autoland-hg`
    /// beside it (hook installed), and a local Lando serving the commit map.
    private func world() throws -> (u: UpstreamWorld, lando: LocalLando, hg: String) {
        let u = try UpstreamWorld(geckoKind: .git)
        let lando = try LocalLando(repositories: [LandoRepository(name: "firefox", path: u.world.dir.sub("lando-firefox.git"), branch: "main")])
        let hgRepository = u.world.dir.sub("autoland-hg")
        try sh("hg", ["init", hgRepository])
        try u.world.gecko.hg(["push", "-q", hgRepository])
        let config = try String(contentsOfFile: u.world.config, encoding: .utf8)
        try writeFile(u.world.config, config + """

            [commit_map]
            lando_url = "\(lando.url)"

            [[gecko]]
            name = "autoland-hg"
            path = "\(hgRepository)"
            role = "integration"

            """)
        try u.world.wptsync(["install-hooks", hgRepository])
        return (u, lando, hgRepository)
    }

    @Test func aGitBackoutNamingTheHgChangesetOfAChangeExportedFromGitClosesItsPullRequest() throws {
        let (u, lando, _) = try world()
        defer { lando.stop() }
        let git = try u.world.commitInGecko([wpt + "dom/named-hg.html": "<p>x</p>\n"], message: "Bug 41 - Name hg. r=me")
        let hg = "4e1f" + String(repeating: "0", count: 34) + "41"
        lando.mapCommits(git: git, hg: hg)
        try u.world.pushGecko(to: u.world.autoland)
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [true])
        #expect(try u.git(["log", "-1", "--format=%B", "gecko/41"]).contains("gecko-commit-hg: \(hg)\n"))

        // A sheriff backs it out in git naming the hg changeset Treeherder shows.
        try sh("git", ["revert", "--no-commit", git], in: u.world.geckoClone)
        try sh("git", ["commit", "-q", "-m", "Backed out changeset \(hg.prefix(12)) (bug 41) for bustage"], in: u.world.geckoClone)
        try u.world.pushGecko(to: u.world.autoland)
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [false])
        #expect(try u.world.wptsync(["show", "upstream", "41"]).contains("incomplete PR #1"))
    }

    /// Most backouts are of changes wptsync never synced: they ask Lando nothing, so Lando being down
    /// holds up no push (the wpt change in the same push is exported).
    @Test func aBackoutOfAChangeNoSyncIsForAsksLandoNothing() throws {
        let (u, lando, _) = try world()
        defer { lando.stop() }
        let other = try u.world.commitInGecko(["dom/base/Element.cpp": "x\n"], message: "Bug 50 - Gecko only. r=me")
        try u.world.pushGecko(to: u.world.autoland)
        _ = try u.process()
        lando.injectFault(.serverError(status: 503), count: 1000, pathPrefix: "/api/")
        try sh("git", ["revert", "--no-commit", other], in: u.world.geckoClone)
        try sh("git", ["commit", "-q", "-m", "Backed out changeset \(other.prefix(12)) (bug 50) for bustage"], in: u.world.geckoClone)
        _ = try u.world.commitInGecko([wpt + "dom/alongside.html": "<p>a</p>\n"], message: "Bug 51 - Alongside. r=me")
        try u.world.pushGecko(to: u.world.autoland)
        let output = try u.process()
        #expect(output.contains("0 failed"), "\(output)")
        #expect(u.github.pullRequests.map(\.title) == ["[Gecko Bug 51] Alongside."], "\(output)")
    }

    @Test func anHgBackoutOfAChangeExportedFromGitClosesItsPullRequest() throws {
        let (u, lando, hgRepository) = try world()
        defer { lando.stop() }
        let git = try u.world.landInGecko([wpt + "dom/both.html": "<p>both</p>\n"], message: "Bug 42 - Both. r=me")
        // The hg mirror has the same change; it reached it without an event (it came from git).
        try u.world.gecko.write(wpt + "dom/both.html", "<p>both</p>\n")
        let hg = try u.world.gecko.commit("Bug 42 - Both. r=me")
        try u.world.gecko.hg(["push", "-q", "-r", hg, hgRepository, "--config", "hooks.changegroup.wptsync="])
        lando.mapCommits(git: git, hg: hg)
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [true])

        try u.world.gecko.hg(["backout", "-r", hg, "-m", "Backed out changeset \(hg.prefix(12)) (bug 42) for bustage", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", hgRepository])
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [false])
        #expect(try u.world.wptsync(["show", "upstream", "42"]).contains("incomplete PR #1"))
    }

    @Test func aGitRevertOfAChangeExportedFromHgClosesItsPullRequest() throws {
        let (u, lando, hgRepository) = try world()
        defer { lando.stop() }
        try u.world.gecko.write(wpt + "dom/from-hg.html", "<p>hg</p>\n")
        let hg = try u.world.gecko.commit("Bug 43 - From hg. r=me")
        try u.world.gecko.hg(["push", "-q", "-r", hg, hgRepository])
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [true])
        #expect(try u.git(["log", "-1", "--format=%B", "gecko/43"]).contains("gecko-commit: \(hg)\n"))

        // Git Gecko has the same change, arrived without an event; then it is reverted there.
        let git = try u.world.commitInGecko([wpt + "dom/from-hg.html": "<p>hg</p>\n"], message: "Bug 43 - From hg. r=me")
        try sh("git", ["--git-dir", u.world.autoland, "fetch", "-q", "--update-head-ok", u.world.geckoClone, "HEAD:refs/heads/autoland"])
        lando.mapCommits(git: git, hg: hg)
        try u.world.backOutInGecko(git, bug: 43)
        try u.process()
        #expect(u.github.pullRequests.map(\.isOpen) == [false])
        #expect(try u.world.wptsync(["show", "upstream", "43"]).contains("incomplete PR #1"))
    }
}
