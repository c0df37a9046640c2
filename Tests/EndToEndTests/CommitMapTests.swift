import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Mirror setups (`[commit_map]`): Gecko in git, its hg changesets known through Lando's commit
/// map (the local Lando's `git2hg`/`hg2git`), so a sync started on either side is recognised.
@Suite("Gecko's git ↔ hg commit map", .serialized)
struct CommitMapTests {
    /// A git Gecko landing through a local Lando, with `[commit_map]` pointing at it.
    private func world() throws -> (LandingWorld, LocalLando) {
        let l = try LandingWorld(geckoKind: .git, lando: true)
        let lando = try #require(l.lando)
        let config = try String(contentsOfFile: l.world.config, encoding: .utf8)
        try writeFile(l.world.config, config + "\n[commit_map]\nlando_url = \"\(lando.url)\"\n")
        return (l, lando)
    }

    @Test func anExportFromGitAlsoNamesTheHgChangesetTheMapKnows() throws {
        let (l, lando) = try world()
        try l.updateDeveloperClone()
        let git = try l.world.commitInGecko(["testing/web-platform/tests/dom/mapped.html": "<p>mapped</p>\n"], message: "Bug 7 - Map it. r=me")
        let hg = String(repeating: "7", count: 40)
        lando.mapCommits(git: git, hg: hg)
        try l.world.pushGecko(to: l.world.autoland)
        try l.upstreamWorld.processUntilSettled()
        let message = try sh("git", ["--git-dir", l.upstreamWorld.upstream, "log", "-1", "--format=%B", "gecko/7"])
        #expect(message.hasSuffix("gecko-commit: \(git)\ngecko-commit-hg: \(hg)\ngecko-reviewers: me\n\n"), "\(message)")

        // A second changeset of the bug, which the map does not know yet: appended onto the same
        // branch, whose first commit (with its hg line) is still recognised as wptsync's export.
        try l.updateDeveloperClone()
        let second = try l.world.commitInGecko(["testing/web-platform/tests/dom/mapped-2.html": "<p>2</p>\n"], message: "Bug 7 - More. r=me")
        try l.world.pushGecko(to: l.world.autoland)
        try l.upstreamWorld.processUntilSettled()
        #expect(l.github.pullRequests.map(\.headRef) == ["gecko/7"], "one PR, on the sync's own branch")
        let messages = try sh("git", ["--git-dir", l.upstreamWorld.upstream, "log", "--format=%B%x00", "master..gecko/7"])
        #expect(messages.components(separatedBy: "\0").filter { $0.contains("gecko-commit:") }.count == 2, "\(messages)")
        #expect(messages.contains("gecko-commit: \(second)\n") && messages.contains("gecko-commit-hg: \(hg)\n"), "\(messages)")
    }

    @Test func aLandingPassesOverAPullRequestTheHgMirrorExported() throws {
        let (l, lando) = try world()
        // Gecko has the change as git commit `git`; before the move to git, wptsync exported its hg
        // changeset `hg` as PR #4242, now merged upstream.
        let git = try l.landInGecko(["dom/base/Document.cpp": "int fixed;\n"], message: "Bug 8 - Fix it. r=me")
        let hg = String(repeating: "8", count: 40)
        var sync = UpstreamSync(bug: 8, changesets: [SyncChangeset(node: hg, inCentral: true)], status: .merged)
        sync.pullRequest = 4242
        _ = try SQLiteJournal(path: l.world.store).save(sync)
        try l.pushToUpstreamMaster(["dom/from-hg.html": "<p>hg</p>\n"], message: "Fix it (#4242)\n\ngecko-commit: \(hg)\n")
        lando.mapCommits(git: git, hg: hg)
        try l.syncMirror()
        try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandFile("testing/web-platform/tests/dom/from-hg.html") == nil, "Gecko has it already: not imported again")
        #expect(try l.landings().first?["status"] as? String == "pushed")
    }
}
