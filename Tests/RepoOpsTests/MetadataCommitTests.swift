import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport

@Suite("Metadata commit: a PR's expectations from its results, on Gecko's metadata, in memory")
struct MetadataCommitTests {
    static let meta = "testing/web-platform/meta"
    static let linux: RunInfo = ["os": .string("linux"), "debug": .bool(false)]
    static let windows: RunInfo = ["os": .string("win"), "debug": .bool(false)]

    /// Gecko with metadata for `a.html` (a condition for mac, which the try push does not run, and a
    /// failing subtest) and for `old.html` (a test the PR renames), in a landing clone.
    static func geckoWithMetadata() throws -> (ExportWorld, LandingClone, String) {
        let (w, _, _) = try importWorld()
        try w.hgFixture.write("\(meta)/a.html.ini", "[a.html]\n  expected:\n    if os == \"mac\": TIMEOUT  # bug 9\n  [s]\n    expected: FAIL\n")
        try w.hgFixture.write("\(meta)/old.html.ini", "[old.html]\n  expected: ERROR\n")
        let tip = try w.commit("Bug 2 - metadata")
        let clone = try LandingClone(path: TempDir("metadata-commit").sub("clone"), source: w.hgFixture.root)
        #expect(try clone.refresh(from: w.hgFixture.root) == tip)
        return (w, clone, tip)
    }

    @Test func theResultsBecomeOneCommitWritingAndRemovingMetadataFiles() throws {
        let (_, clone, tip) = try Self.geckoWithMetadata()
        let results: [String: [WptRun]] = [
            "/a.html": [Self.linux, Self.windows].map { WptRun(runInfo: $0, status: "OK", subtests: [(name: "s", status: "PASS")]) },
            "/new.any.worker.html": [WptRun(runInfo: Self.linux, status: "OK", subtests: [(name: "t", status: "FAIL")]),
                                     WptRun(runInfo: Self.windows, status: "OK", subtests: [(name: "t", status: "PASS")])],
        ]
        let build = {
            try MetadataCommitBuilder(clone: clone).build(
                pullRequest: 7, bug: 1234, plan: MetadataPlan(), results: results, renames: ["old.html": "renamed.html"],
                onto: tip, user: "wpt-sync <wpt-sync@mozilla.com>", date: (1_700_000_000, 0))
        }
        let commit = try build()
        let node = try #require(commit.node)
        let changeset = try clone.hg.changeset(node)
        #expect(changeset.parents == [tip])
        #expect(String(decoding: changeset.description, as: UTF8.self)
            == "Bug 1234 [wpt PR 7] - Update wpt metadata, a=testonly\n\nwpt-pr: 7\nwpt-type: metadata")
        let paths = ["a.html.ini", "old.html.ini", "renamed.html.ini", "new.any.js.ini"].map { HgPath("\(Self.meta)/\($0)") }
        let files = try clone.hg.files(at: node, paths: paths).mapValues { String(decoding: $0.data, as: UTF8.self) }
        #expect(files == [
            HgPath("\(Self.meta)/a.html.ini"): "[a.html]\n  expected:\n    if os == \"mac\": TIMEOUT  # bug 9\n",
            HgPath("\(Self.meta)/renamed.html.ini"): "[renamed.html]\n  expected: ERROR\n",
            HgPath("\(Self.meta)/new.any.js.ini"): "[new.any.worker.html]\n  [t]\n    expected:\n      if os == \"linux\": FAIL\n",
        ])
        #expect(try sh("hg", ["status", "--change", node], in: clone.hg.path)
            == "M \(Self.meta)/a.html.ini\nA \(Self.meta)/new.any.js.ini\nA \(Self.meta)/renamed.html.ini\nR \(Self.meta)/old.html.ini\n")
        #expect(try build().node == node, "the same inputs give the same commit")
    }

    @Test func resultsThatChangeNothingMakeNoCommit() throws {
        let (_, clone, tip) = try Self.geckoWithMetadata()
        let results = ["/a.html": [WptRun(runInfo: Self.linux, status: "OK", subtests: [(name: "s", status: "FAIL")])]]
        let commit = try MetadataCommitBuilder(clone: clone).build(pullRequest: 7, bug: 1234, plan: MetadataPlan(), results: results,
                                                                   onto: tip, user: "wpt-sync <wpt-sync@mozilla.com>", date: (0, 0))
        #expect(commit.node == nil && commit.files.isEmpty)
    }

    @Test func aMetadataFileGeckoCannotParseIsNamedAndNothingIsCommitted() throws {
        let (w, clone, _) = try Self.geckoWithMetadata()
        try w.hgFixture.write("\(Self.meta)/a.html.ini", "[a.html]\n  expected:\n    if os = \"mac\": TIMEOUT\n")
        let broken = try w.commit("Bug 3 - broken metadata")
        #expect(try clone.refresh(from: w.hgFixture.root) == broken)
        let results = ["/a.html": [WptRun(runInfo: Self.linux, status: "ERROR")]]
        #expect(throws: ImportError.metadata(.syntax(file: "\(Self.meta)/a.html.ini", line: 3, column: 11, problem: .badCondition("'==' or '!='")))) {
            try MetadataCommitBuilder(clone: clone).build(pullRequest: 7, bug: 1234, plan: MetadataPlan(), results: results,
                                                          onto: broken, user: "wpt-sync <wpt-sync@mozilla.com>", date: (0, 0))
        }
        #expect(try sh("hg", ["log", "-r", "children(\(broken))", "-T", "{node}\n"], in: clone.hg.path) == "")
    }
}
