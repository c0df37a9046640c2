import Testing
import SyncCore

private func node(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }
private func change(_ n: Int, _ message: String, files: [String] = ["testing/web-platform/tests/a.html"]) -> GeckoChangeset {
    GeckoChangeset(node: node(n), isMerge: false, description: Array(message.utf8), files: files.map { Array($0.utf8) })
}
private func sync(_ id: Int64, bug: Int, nodes: [Int], status: SyncStatus = .open, pr: Int? = nil,
                  backedOut: Bool = false, inCentral: Bool = false) -> UpstreamSync {
    var sync = UpstreamSync(id: id, bug: bug, changesets: nodes.map {
        SyncChangeset(node: node($0), backedOut: backedOut, inCentral: inCentral)
    }, status: status)
    sync.pullRequest = pr
    return sync
}

@Suite("Dry-run descriptions")
struct DryRunTests {
    @Test func aNewChangeOpensAPullRequestAndItsBackoutInALaterPushClosesIt() {
        var dry = DryRun(prefixes: PathPrefixes())
        let first = dry.apply(push: [change(1, "Bug 5 - Add a test")], role: .integration, stored: [])
        #expect(first == ["111111111111: bug 5", "new sync gecko/5: open a PR"])
        // The backout finds the simulated sync, whose PR the first push opened.
        let second = dry.apply(push: [change(2, "Backed out changeset 111111111111 (bug 5)", files: [])],
                               role: .integration, stored: [])
        #expect(second == ["222222222222: backs out 111111111111", "sync (new) gecko/5: close the PR opened above"])
        let third = dry.apply(push: [change(3, "Bug 5 - Add a test again")], role: .integration, stored: [])
        #expect(third == ["333333333333: bug 5", "sync (new) gecko/5: reopen the PR opened above"])
        #expect(dry.changed.map(\.id) == [-1])
    }

    @Test func aChangeAndItsBackoutInOnePushOpenNothing() {
        var dry = DryRun(prefixes: PathPrefixes())
        let lines = dry.apply(push: [change(1, "Bug 5 - Add a test"), change(2, "Backed out changeset 111111111111 (bug 5)", files: [])],
                              role: .integration, stored: [])
        #expect(lines.last == "new sync gecko/5: no PR change (backed out before a PR was opened)")
        #expect(dry.changed.map(\.status) == [.backedOutBeforePullRequest])
    }

    @Test func aBackoutOfABackoutRelandsAndReopens() {
        var dry = DryRun(prefixes: PathPrefixes())
        let open = sync(3, bug: 5, nodes: [1], pr: 12)
        let backout = change(2, "Backed out changeset 111111111111 (bug 5)", files: [])
        #expect(dry.apply(push: [backout], role: .integration, stored: [open]).last == "sync 3 gecko/5: close PR #12")
        let lines = dry.apply(push: [change(4, "Backed out changeset 222222222222 (bug 5) for being wrong", files: [])],
                              role: .integration, stored: [open], backouts: [node(2): ["111111111111"]])
        #expect(lines == ["444444444444: backs out 222222222222, a backout: relands 111111111111", "sync 3 gecko/5: reopen PR #12"])
    }

    @Test func aBackoutOfAMergedSyncWaitsForAPerson() {
        var dry = DryRun(prefixes: PathPrefixes())
        var merged = sync(3, bug: 5, nodes: [1], status: .merged, pr: 12)
        merged.exportedNodes = [node(1)]
        let lines = dry.apply(push: [change(2, "Backed out changeset 111111111111 (bug 5)", files: [])], role: .integration, stored: [merged])
        #expect(lines.last == "sync 3 gecko/5: no PR change (merged upstream, then backed out: waits for a person: wptsync revert upstream)")
        #expect(dry.changed.map(\.status) == [.backedOutAfterMerge])
        #expect(dry.changed.first?.waiting?.contains("wptsync revert upstream 3") == true)
    }

    @Test func aSkippedChangesetOpensNothingAsTheWorkerWould() {
        var dry = DryRun(prefixes: PathPrefixes(), skipped: [node(1)])
        let lines = dry.apply(push: [change(1, "Bug 5 - Add a test")], role: .integration, stored: [])
        #expect(!lines.contains("new sync gecko/5: open a PR"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("111111111111: skipped") }, "\(lines)")
    }

    @Test func storedSyncsGiveCloseReopenUpdateAndMerge() {
        var dry = DryRun(prefixes: PathPrefixes())
        let open = sync(3, bug: 5, nodes: [1], pr: 12)
        #expect(dry.apply(push: [change(2, "Backed out changeset 111111111111 (bug 5)", files: [])], role: .integration, stored: [open])
                .last == "sync 3 gecko/5: close PR #12")
        // The next push sees the simulated (closed) state, not the stored one.
        #expect(dry.apply(push: [change(4, "Bug 5 - Reland")], role: .integration, stored: [open]).last == "sync 3 gecko/5: reopen PR #12")
        #expect(dry.apply(push: [change(6, "Bug 5 - More")], role: .integration, stored: [open]).last == "sync 3 gecko/5: update PR #12")
        let landing = dry.apply(push: [change(4, "Bug 5 - Reland"), change(6, "Bug 5 - More")], role: .central, stored: [open])
        #expect(landing.last == "sync 3 gecko/5: mark PR #12 landed and merge it once its checks pass")
    }

    @Test(arguments: [
        (nil as UpstreamSync?, sync(0, bug: 1, nodes: [1]), PullRequestAction.open),
        (sync(1, bug: 1, nodes: [1], pr: 4), sync(1, bug: 1, nodes: [1], pr: 4, backedOut: true), .close(4)),
        (sync(1, bug: 1, nodes: [1], status: .incomplete, pr: 4, backedOut: true), sync(1, bug: 1, nodes: [1, 2], pr: 4), .reopen(4)),
        (sync(1, bug: 1, nodes: [1], pr: 4), sync(1, bug: 1, nodes: [1, 2], pr: 4), .update(4)),
        (sync(1, bug: 1, nodes: [1], pr: 4), sync(1, bug: 1, nodes: [1], pr: 4, inCentral: true), .merge(4)),
        (sync(1, bug: 1, nodes: [1], pr: 4, inCentral: true), sync(1, bug: 1, nodes: [1], pr: 4, inCentral: true), .none("landed already")),
        (nil, sync(0, bug: 1, nodes: [1], inCentral: true), .openAndMerge),
        (sync(1, bug: 1, nodes: [1], status: .merged, pr: 4), sync(1, bug: 1, nodes: [1], status: .merged, pr: 4), .none("already merged")),
        (sync(1, bug: 1, nodes: [1], status: .needsFixup, pr: 4), sync(1, bug: 1, nodes: [1, 2], status: .needsFixup, pr: 4),
         .none("waits for a person: wptsync continue upstream")),
    ])
    func actions(before: UpstreamSync?, after: UpstreamSync, expected: PullRequestAction) {
        #expect(DryRun.action(before: before, after: after, pullRequest: before.flatMap(DryRun.pullRequestState)) == expected)
    }
}
