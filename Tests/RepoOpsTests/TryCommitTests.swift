import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport

@Suite("Try commit: an upstream PR's changes and try_task_config.json on central's tip, in memory, pushed as a new head")
struct TryCommitTests {
    @Test func thePullRequestsChangesAndTheTaskConfigArePushedToTryOnceForOneHead() throws {
        let (w, base, central) = try importWorld()
        let dir = TempDir("try-commit")
        let clone = try LandingClone(path: dir.sub("clone"), source: w.hgFixture.root)
        #expect(try clone.refresh(from: w.hgFixture.root) == central)
        let head = try upstreamChange(w, onto: base, ["b.html": "new test\n", "keep.js": nil])
        let config = Array(#"{"parameters":{"try_task_config":{"use-artifact-builds":true}},"version":2}"#.utf8)
        let builder = TryCommitBuilder(git: w.git, clone: clone, prefix: ExportWorld.wpt, excluded: LandingSettings.defaultExclude)
        let build = {
            try builder.build(UpstreamChange(base: base.hex, head: head.hex), onto: central, taskConfig: config,
                              user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_000, 0),
                              message: Array("try: wpt PR 7\n".utf8))
        }
        guard case .built(let node) = try build() else { Issue.record("no try commit built"); return }
        #expect(try clone.hg.changeset(node).parents == [central])
        let files = try clone.hg.files(at: node, paths: [HgPath("try_task_config.json"), HgPath("testing/web-platform/tests/b.html"),
                                                          HgPath("testing/web-platform/tests/keep.js"), HgPath("testing/web-platform/tests/a.html")])
        #expect(files[HgPath("try_task_config.json")]?.data == config)
        #expect(files[HgPath("testing/web-platform/tests/b.html")]?.data == Array("new test\n".utf8))
        #expect(files[HgPath("testing/web-platform/tests/keep.js")] == nil)
        #expect(files[HgPath("testing/web-platform/tests/a.html")]?.data == (try w.hg.files(at: central, paths: [HgPath("testing/web-platform/tests/a.html")])).values.first?.data,
                "Gecko's own change not upstream yet stays")

        // Try already has heads of other people's pushes: the push makes a new head.
        let tryRepo = dir.sub("try")
        try sh("hg", ["clone", "-q", "-U", w.hgFixture.root, tryRepo])
        try w.write("other.html", "someone else's try push\n")
        try w.commit("Someone else's try push")
        try w.hgFixture.hg(["push", "-q", "-f", tryRepo])
        let refused = try clone.push(node, to: tryRepo)
        guard case .lostRace = refused else { Issue.record("a plain push to try should be refused as a new head, got \(refused)"); return }
        #expect(try clone.push(node, to: tryRepo, newHead: true) == .pushed)
        // The same head built again is the same commit: nothing new reaches try.
        #expect(try build() == .built(node: node))
        #expect(try clone.push(node, to: tryRepo, newHead: true) == .nothingToPush)
        #expect(try sh("hg", ["log", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"], in: tryRepo) == node + "\n")
    }

    @Test func aPullRequestThatDoesNotMergeOrChangesNothingImportedIsNotBuilt() throws {
        let (w, base, central) = try importWorld()
        let clone = try LandingClone(path: TempDir("try-commit").sub("clone"), source: w.hgFixture.root)
        _ = try clone.refresh(from: w.hgFixture.root)
        let builder = TryCommitBuilder(git: w.git, clone: clone, prefix: ExportWorld.wpt, excluded: ["resources/testdriver_vendor.js"])
        let clash = try upstreamChange(w, onto: base, ["a.html": "upstream rewrote it\n"])
        let excludedOnly = try upstreamChange(w, onto: base, ["resources/testdriver_vendor.js": "upstream's\n"])
        func build(_ head: Oid) throws -> TryCommitResult {
            try builder.build(UpstreamChange(base: base.hex, head: head.hex), onto: central, taskConfig: [],
                              user: "wpt-sync <wpt-sync@mozilla.com>", date: (0, 0), message: Array("try\n".utf8))
        }
        #expect(try build(clash) == .conflict(["a.html"]))
        #expect(try build(excludedOnly) == .noChanges)
    }
}
