import Foundation
import Testing
@testable import SyncCore

private let prefixes = PathPrefixes()
private func node(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }
private func change(_ n: Int, _ message: String, files: [String] = ["testing/web-platform/tests/a.html"]) -> GeckoChangeset {
    GeckoChangeset(node: node(n), isMerge: false, description: Array(message.utf8), files: files.map { Array($0.utf8) })
}

@Suite("Skipped changesets")
struct SkipRulesTests {
    @Test func aSkippedChangesetIsLeftOutOfNewSyncsWithANote() {
        let outcome = UpstreamPlanner.apply(push: [change(1, "Bug 5 - a"), change(2, "Bug 5 - b")], role: .integration,
                                            prefixes: prefixes, syncs: [], skipped: [node(2)])
        #expect(outcome.changed.map(\.activeNodes) == [[node(1)]])
        #expect(outcome.changed.first?.changesets.count == 1)
        #expect(outcome.notes.contains("222222222222: skipped by an operator (`wptsync skip`): not upstreamed"))
    }

    @Test func skippingMarksTheChangesetInItsSyncAndUnskippingRestoresIt() {
        let sync = UpstreamSync(id: 1, bug: 5, changesets: [SyncChangeset(node: node(1)), SyncChangeset(node: node(2))])
        let skipped = UpstreamPlanner.applySkips([node(2)], to: [sync])
        #expect(skipped.map(\.activeNodes) == [[node(1)]])
        #expect(skipped.first?.changesets[1].backedOut == false)
        #expect(UpstreamPlanner.goal(for: skipped[0]) == .open(nodes: [node(1)]))
        // Nothing changes twice; skipping everything closes; unskipping gives it back.
        #expect(UpstreamPlanner.applySkips([node(2)], to: skipped).isEmpty)
        let all = UpstreamPlanner.applySkips([node(1), node(2)], to: skipped)
        #expect(UpstreamPlanner.goal(for: all[0]) == .closed)
        #expect(UpstreamPlanner.applySkips([], to: all) == [sync])
    }

    @Test func mergedSyncsAreNotTouched() {
        var sync = UpstreamSync(id: 1, bug: 5, changesets: [SyncChangeset(node: node(1))])
        sync.status = .merged
        #expect(UpstreamPlanner.applySkips([node(1)], to: [sync]).isEmpty)
    }

    @Test func recordsWrittenBeforeSkippingExistedStillDecode() throws {
        let json = #"{"node":"\#(node(1))","backedOut":true,"inCentral":false}"#
        let decoded = try JSONDecoder().decode(SyncChangeset.self, from: Data(json.utf8))
        #expect(decoded == SyncChangeset(node: node(1), backedOut: true))
    }
}

@Suite("Rebuilding sync records from pull requests")
struct SyncRebuildTests {
    private func pr(_ branch: String, _ state: PullRequestFacts.State, nodes: [String], labels: [String] = ["mozilla:gecko-sync"]) -> PullRequestFacts {
        PullRequestFacts(number: 4, url: "http://127.0.0.1/pull/4", branch: branch, state: state,
                         body: "Text.\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=5\ngecko-commits: \(nodes.joined(separator: ", "))",
                         labels: labels, head: String(repeating: "f", count: 40))
    }

    @Test(arguments: [
        ("gecko/5", 5, 0), ("gecko/5-2", 5, 2), ("gecko/changeset-0123456789ab", nil, 0), ("gecko/changeset-0123456789ab-1", nil, 1),
    ] as [(String, Int?, Int)])
    func branchesGiveBugAndSequence(branch: String, bug: Int?, sequence: Int) {
        let parsed = SyncRebuild.parse(branch: branch)
        #expect(parsed?.bug == bug && parsed?.sequence == sequence)
    }

    @Test(arguments: ["master", "gecko/", "gecko/x", "gecko/5-0", "gecko/5-2-3", "gecko/changeset-xyz", "gecko/changeset-01ab-0",
                      "gecko/changeset-01ab-1-2", "other/5"])
    func otherBranchesAreNotSyncBranches(branch: String) {
        #expect(SyncRebuild.parse(branch: branch) == nil)
    }

    @Test func onlyLabelledOrAnnotatedSyncBranchesAreOurs() {
        #expect(SyncRebuild.isSyncPullRequest(pr("gecko/5", .open, nodes: [node(1)]), label: "mozilla:gecko-sync"))
        #expect(SyncRebuild.isSyncPullRequest(pr("gecko/5", .open, nodes: [node(1)], labels: []), label: "mozilla:gecko-sync"))
        #expect(!SyncRebuild.isSyncPullRequest(pr("gecko/5", .open, nodes: [], labels: []), label: "mozilla:gecko-sync"))
        #expect(!SyncRebuild.isSyncPullRequest(pr("feature", .open, nodes: [node(1)]), label: "mozilla:gecko-sync"))
    }

    @Test func historyAddsBackedOutChangesetsTheBodyNoLongerLists() {
        let history = [change(1, "Bug 5 - a"), change(2, "Bug 5 - b"),
                       change(3, "Backed out changeset \(node(2).prefix(12)) (bug 5)", files: []), change(4, "Bug 5 - c")]
        let (changesets, notes) = SyncRebuild.changesets(
            for: pr("gecko/5", .open, nodes: [node(1), node(7)]), history: history, existing: [node(1)], inCentral: [node(1)],
            listedElsewhere: [node(4)], takesUnlisted: true, prefixes: prefixes)
        #expect(changesets == [SyncChangeset(node: node(1), inCentral: true), SyncChangeset(node: node(2), backedOut: true)])
        #expect(notes == ["PR #4: changeset 777777777777 is in no Gecko repository: left out"])
    }

    @Test func theRecordFollowsThePullRequestState() throws {
        let changesets = [SyncChangeset(node: node(1), backedOut: true)]
        let closed = try #require(SyncRebuild.record(for: pr("gecko/5-1", .closed, nodes: [node(1)]), changesets: changesets))
        #expect(closed.status == .incomplete && closed.bug == 5 && closed.sequence == 1 && closed.pullRequest == 4)
        #expect(closed.exportedNodes == [node(1)] && closed.head == String(repeating: "f", count: 40))
        #expect(UpstreamPlanner.goal(for: closed) == .closed)
        let merged = try #require(SyncRebuild.record(for: pr("gecko/5", .merged, nodes: [node(1)]), changesets: []))
        #expect(merged.status == .merged && UpstreamPlanner.goal(for: merged) == .none)
        let open = try #require(SyncRebuild.record(for: pr("gecko/5", .open, nodes: [node(1)]), changesets: [SyncChangeset(node: node(1))]))
        #expect(open.status == .open && open.waitingFor == "landing on mozilla-central")
    }
}
