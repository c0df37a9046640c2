import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// States a crash leaves behind between saving a sync and pushing its branch, set up directly.
@Suite("Upstream: states a crash leaves", .serialized)
struct UpstreamCrashStateTests {
    /// A backout's rebuilt branch was saved (only part 1 exported) but the worker died before
    /// pushing it, so upstream still holds the backed-out part 2; a reland then arrives. The branch
    /// holds an export no longer wanted: it is rebuilt, not appended to (where the reland would
    /// conflict with the backed-out change). The crash-convergence test met this state.
    @Test func aBranchStillHoldingABackedOutExportIsRebuiltForTheReland() throws {
        let u = try UpstreamWorld()
        _ = try u.world.commitInGecko(["testing/web-platform/tests/f/one.html": "one\n"], message: "Bug 205 - Part 1: test one. r=erin")
        let two = try u.world.landInGecko(["testing/web-platform/tests/f/two.html": "two\n"], message: "Bug 205 - Part 2: test two. r=erin")
        try u.processUntilSettled()
        #expect(try u.git(["ls-tree", "-r", "--name-only", "gecko/205"]) == "README.md\nf/one.html\nf/two.html\n")

        let store = try SQLiteJournal(path: u.world.store)
        var sync = try #require(try store.syncs(bug: 205, status: nil).first)
        sync.changesets[1].backedOut = true
        sync.exportedNodes = [sync.changesets[0].node]
        sync.head = try u.git(["rev-parse", "gecko/205~1"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try store.save(sync)

        try u.world.gecko.hg(["backout", "-q", "-r", two, "-m", "Backed out changeset \(two.prefix(12)) (bug 205) for failures"])
        try u.world.landInGecko(["testing/web-platform/tests/f/two.html": "two, fixed\n"], message: "Bug 205 - Part 2: test two, relanded. r=erin")
        try u.processUntilSettled()
        let list = try u.world.wptsync(["list"])
        #expect(list.contains("gecko/205 open PR #1"), "\(list)")
        #expect(try u.git(["show", "gecko/205:f/two.html"]) == "two, fixed\n")
        #expect(try u.git(["log", "--format=%s", "master..gecko/205"]) == "Part 2: test two, relanded.\nPart 1: test one.\n")
    }
}
