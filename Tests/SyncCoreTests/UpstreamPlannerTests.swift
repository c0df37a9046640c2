import Testing
@testable import SyncCore

private let prefixes = PathPrefixes()
private func node(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }
private func change(_ n: Int, _ message: String, files: [String] = ["testing/web-platform/tests/a.html"], merge: Bool = false) -> GeckoChangeset {
    GeckoChangeset(node: node(n), isMerge: merge, description: Array(message.utf8), files: files.map { Array($0.utf8) })
}
private func apply(_ push: [GeckoChangeset], role: GeckoRole = .integration, to syncs: [UpstreamSync] = []) -> PushOutcome {
    UpstreamPlanner.apply(push: push, role: role, prefixes: prefixes, syncs: syncs)
}

@Suite("Classifying changesets")
struct ClassificationTests {
    @Test(arguments: [
        (change(1, "Bug 5 - Fix a test r=a"), ChangesetKind.wpt(bug: 5)),
        (change(1, "No bug - tweak a test"), .wpt(bug: nil)),
        (change(1, "Bug 5 - Gecko only r=a", files: ["dom/x.cpp"]), .skip("no wpt files")),
        (change(1, "Bug 5 - Update expectations", files: ["testing/web-platform/meta/a.html.ini"]), .skip("only wpt metadata")),
        (change(1, "Merge autoland to mozilla-central a=merge", merge: true), .skip("merge")),
        (change(1, "Bug 5 [wpt PR 123] - Upstream title, a=testonly\n\nwpt-pr: 123\nwpt-commits: abc"), .skip("imported from upstream")),
        (change(1, "Bug 5 - [wpt-sync] Update web-platform-tests to abc, a=testonly\n\nwpt-head: abc\nwpt-type: landing"), .skip("imported from upstream")),
        (change(1, "Backed out changeset 6435d5aab611 (bug 5) for bustage"), .backout(nodes: ["6435d5aab611"])),
        (change(1, "Revert \"Bug 5 - x\"\n\nThis reverts commit \(node(7)).", files: ["dom/x.cpp"]), .backout(nodes: [node(7)])),
        (change(1, "Bug 5 - testing/web-platform/tests2 is not wpt", files: ["testing/web-platform/tests2/a"]), .skip("no wpt files")),
    ])
    func kinds(changeset: GeckoChangeset, expected: ChangesetKind) {
        #expect(changeset.kind(prefixes: prefixes) == expected)
    }
}

@Suite("Applying pushes to syncs")
struct UpstreamPlannerTests {
    @Test func oneChangesetMakesOneSync() {
        let outcome = apply([change(1, "Bug 5 - Fix r=a")])
        #expect(outcome.changed == [UpstreamSync(bug: 5, changesets: [SyncChangeset(node: node(1))])])
        #expect(outcome.changed.first?.branch == "gecko/5")
    }

    @Test func twoBugsInOnePushMakeTwoSyncsAndOneBugGroups() {
        let outcome = apply([change(1, "Bug 5 - a"), change(2, "Bug 6 - b"), change(3, "Bug 5 - c")])
        #expect(outcome.changed.map(\.bug) == [5, 6])
        #expect(outcome.changed.first?.activeNodes == [node(1), node(3)])
    }

    @Test func replayingAPushChangesNothing() {
        let push = [change(1, "Bug 5 - a"), change(2, "Backed out changeset \(node(1).prefix(12)) (bug 5)")]
        var synced = apply(push).changed
        synced[0].id = 1
        #expect(apply(push, to: synced).changed.isEmpty)
    }

    @Test func aChangesetAndItsBackoutInOnePushLeaveNothingToUpstream() {
        let outcome = apply([change(1, "Bug 5 - a"), change(2, "Backed out changeset \(node(1).prefix(12)) (bug 5) for bustage")])
        let sync = try! #require(outcome.changed.first)
        #expect(sync.activeNodes.isEmpty)
        #expect(UpstreamPlanner.goal(for: sync) == .closed)
    }

    @Test func fullAndPartialBackoutsAndRelands() {
        var syncs = apply([change(1, "Bug 5 - a"), change(2, "Bug 5 - b")]).changed
        syncs[0].id = 1
        let partial = apply([change(3, "Backed out changeset \(node(2)) (bug 5)")], to: syncs).changed
        #expect(partial.first?.activeNodes == [node(1)])
        let full = apply([change(4, "Backed out 2 changesets (bug 5)\n\nBacked out changeset \(node(1).prefix(12)) (bug 5)\nBacked out changeset \(node(2).prefix(12)) (bug 5)")], to: syncs).changed
        #expect(full.first?.activeNodes == [])
        let reland = apply([change(5, "Bug 5 - a, relanded")], to: full).changed
        #expect(reland.first?.activeNodes == [node(5)])
        #expect(UpstreamPlanner.goal(for: reland[0]) == .open(nodes: [node(5)]))
    }

    @Test func aBackoutSpanningTwoBugsUpdatesBothSyncs() {
        var syncs = apply([change(1, "Bug 5 - a"), change(2, "Bug 6 - b")]).changed
        syncs[0].id = 1; syncs[1].id = 2
        let outcome = apply([change(3, "Backed out changesets \(node(1).prefix(12)) and \(node(2).prefix(12)) (bug 5, bug 6)")], to: syncs)
        #expect(outcome.changed.map(\.activeNodes) == [[], []])
    }

    @Test func aBackoutOfSomethingNeverSyncedChangesNothing() {
        let outcome = apply([change(3, "Backed out changeset abcdefabcdef (bug 9)", files: ["dom/x.cpp"])])
        #expect(outcome.changed.isEmpty)
        #expect(outcome.notes == ["333333333333: backs out abcdefabcdef (nothing synced: no change)"])
    }

    @Test func centralMarksLandingAndDirectLandingsSyncToo() {
        var syncs = apply([change(1, "Bug 5 - a")]).changed
        syncs[0].id = 1
        let merge = change(9, "Merge autoland to mozilla-central a=merge", merge: true)
        let landed = apply([change(1, "Bug 5 - a"), merge], role: .central, to: syncs).changed
        #expect(landed.first?.isLanded == true)
        #expect(UpstreamPlanner.goal(for: landed[0]) == .landed(nodes: [node(1)]))
        let direct = apply([change(2, "Bug 7 - straight to central")], role: .central).changed
        #expect(direct.first?.isLanded == true && direct.first?.bug == 7)
    }

    @Test func aLaterChangeAfterAMergedSyncStartsANewSequence() {
        var merged = UpstreamSync(id: 1, bug: 5, changesets: [SyncChangeset(node: node(1), inCentral: true)], status: .merged)
        merged.head = "abc"
        let outcome = apply([change(2, "Bug 5 - follow-up")], to: [merged])
        #expect(outcome.changed.count == 1)
        #expect(outcome.changed.first?.sequence == 1 && outcome.changed.first?.branch == "gecko/5-1")
    }

    @Test func aChangesetWithoutABugGetsItsOwnSyncAndIsReported() {
        let outcome = apply([change(1, "Tweak a test"), change(2, "Tweak another test")])
        #expect(outcome.changed.count == 2)
        #expect(outcome.changed.first?.branch == "gecko/changeset-111111111111")
        #expect(outcome.notes.first == "111111111111: no bug number: synced on its own")
    }

    @Test func lookupKeysNameTheBugsAndEveryNodeHeldOrBackedOut() {
        let push = [change(1, "Bug 5 - a"), change(2, "Backed out changeset abcdefabcdef (bug 6)"), change(3, "Gecko only", files: ["dom/x.cpp"])]
        let keys = UpstreamPlanner.lookupKeys(push: push, prefixes: prefixes)
        #expect(keys.bugs == [5])
        #expect(keys.nodes == [node(1), node(2), node(3), "abcdefabcdef"])
    }

    @Test func pullRequestTextCarriesSummaryBodyAndMetadata() {
        let sync = UpstreamSync(bug: 5, changesets: [SyncChangeset(node: node(1))])
        let text = UpstreamPlanner.pullRequestText(for: sync, firstDescription: Array("Bug 5 - Fix the frobnicator. r=alice,bob\n\nIt was broken.\n".utf8),
                                                   bugzillaURL: "https://bugzilla.mozilla.org/show_bug.cgi?id=")
        #expect(text.title == "[Gecko Bug 5] Fix the frobnicator.")
        #expect(text.body == "It was broken.\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=5\ngecko-commits: \(node(1))\ngecko-reviewers: alice, bob")
    }
}
