import Foundation
import SyncCore
import Testing

/// Issue 13: a PR waiting for its metadata holds back only the later PRs touching the same tests.
@Suite("Import holds (pure)")
struct ImportHoldTests {
    private static func sha(_ n: Int) -> String { String(repeating: String(n), count: 40) }
    /// PRs 1…n, each one master commit after the previous.
    private static func units(_ count: Int) -> [ImportUnit] {
        (1...count).map { ImportUnit(pullRequest: $0, commits: [sha($0)], base: sha($0 - 1)) }
    }
    /// What each PR changes: 1 a test, 2 elsewhere, 3 a support file next to 1's test, 4 a test 3
    /// changes too, 5 elsewhere again.
    private static let changes: [Int: [String]] = [
        1: ["css/grid/gap.html"],
        2: ["dom/nodes/append.html"],
        3: ["css/grid/support/helper.js", "css/grid/order.html"],
        4: ["css/grid/order.html"],
        5: ["fetch/api/basic.html", "README.md"],
    ]
    private static let tree: Set<String> = ["css/grid/gap.html", "css/grid/order.html", "css/grid/support/helper.js",
                                            "dom/nodes/append.html", "fetch/api/basic.html", "README.md"]
    private static func footprint(_ unit: ImportUnit) -> UnitFootprint {
        let changed = changes[unit.pullRequest ?? 0] ?? []
        return UnitFootprint(changed: changed, affected: AffectedTests.of(changed: changed, tree: tree))
    }

    @Test("a held PR holds the later PRs touching its tests, transitively; unrelated ones land and the sync point stays")
    func unrelatedLandOverlappingWait() {
        let plan = ImportPlanner.plan(Self.units(5), after: Self.sha(0), landed: []) { unit in
            unit.pullRequest == 1 ? .hold(reason: "waits for its metadata") : .ready(.apply)
        } footprint: { Self.footprint($0) }
        #expect(plan.ready.map(\.pullRequest) == [2, 5])
        #expect(plan.held.map(\.pullRequest) == [1, 3, 4])
        #expect(plan.held.map(\.reason) == ["waits for its metadata",
                                            "PR #3 touches the same tests as PR #1, which is held back",
                                            "PR #4 touches the same tests as PR #3, which is held back"])
        #expect(plan.syncPoint == Self.sha(0), "nothing before PR 1 was imported")
        #expect(plan.landedBeyond == [Self.sha(2), Self.sha(5)])
    }

    @Test("once the held PR may land, it and the PRs it held land in order and the sync point passes what landed before")
    func heldLandLaterOnce() {
        var asked: [Int] = []
        let plan = ImportPlanner.plan(Self.units(5), after: Self.sha(0), landed: [Self.sha(2), Self.sha(5)]) { unit in
            asked.append(unit.pullRequest ?? 0)
            return .ready(.apply)
        } footprint: { _ in Issue.record("no footprint is needed while nothing is held"); return UnitFootprint(files: []) }
        #expect(plan.ready.map(\.pullRequest) == [1, 3, 4], "2 and 5 landed already")
        #expect(asked == [1, 3, 4])
        #expect(plan.held.isEmpty && plan.syncPoint == Self.sha(5) && plan.landedBeyond.isEmpty)
    }

    @Test("past the wait limit the PR lands without its metadata, in order with everything behind it")
    func limitPasses() {
        let merged = Date(timeIntervalSince1970: 1_000_000)
        var sync = DownstreamSync(pullRequest: 1)
        sync.plan(DownstreamTryPush(head: "h", treeChanges: "t", mode: .tests, reason: .changes))
        sync.pushed(revision: "abcdef0123456789")
        func plan(after seconds: TimeInterval) -> ImportPlan {
            ImportPlanner.plan(Self.units(4), after: Self.sha(0), landed: []) { unit in
                guard unit.pullRequest == 1 else { return .ready(.apply) }
                return MetadataWait.decide(pullRequest: 1, sync: sync, mergedAt: merged, now: merged.addingTimeInterval(seconds),
                                           limit: 3600, stability: false).importability
            } footprint: { Self.footprint($0) }
        }
        #expect(plan(after: 3599).ready.map(\.pullRequest) == [2])
        #expect(plan(after: 3599).held.first?.reason.contains("PR #1 waits for its metadata") == true)
        #expect(plan(after: 3600).ready.map(\.pullRequest) == [1, 2, 3, 4])
        #expect(plan(after: 3600).held.isEmpty && plan(after: 3600).syncPoint == Self.sha(4))
    }

    @Test("units Gecko has past the sync point are counted as imported; passed-over units are never held")
    func landedUnitsCountAndPassedOverAreNeverHeld() {
        let plan = ImportPlanner.plan(Self.units(5), after: Self.sha(0), landed: [Self.sha(5)]) { unit in
            switch unit.pullRequest {
            case 1: .hold(reason: "waits for its metadata")
            case 3: .ready(.passOver(reason: "skipped: not wanted"))
            default: .ready(.apply)
            }
        } footprint: { Self.footprint($0) }
        #expect(plan.ready.map(\.pullRequest) == [2, 3, 4], "PR 3, passed over, holds nothing back")
        #expect(plan.held.map(\.pullRequest) == [1])
        #expect(plan.syncPoint == Self.sha(0) && plan.landedBeyond == [Self.sha(2), Self.sha(3), Self.sha(4), Self.sha(5)])
    }

    @Test("footprints overlap on a shared path, a test a support file serves, or a folder holding a test")
    func footprintOverlap() {
        let test = UnitFootprint(files: ["css/grid/gap.html"])
        #expect(test.overlaps(Self.footprint(ImportUnit(pullRequest: 3, commits: [], base: ""))))
        #expect(!test.overlaps(Self.footprint(ImportUnit(pullRequest: 2, commits: [], base: ""))))
        #expect(test.overlaps(UnitFootprint(files: [], folders: ["css"])))
        #expect(UnitFootprint(files: [], folders: ["css/grid"]).overlaps(UnitFootprint(files: [], folders: ["css"])))
        #expect(!test.overlaps(UnitFootprint(files: [], folders: ["css/grid-extra", "dom"])))
        #expect(test.overlaps(UnitFootprint(files: [], folders: [""])), "the whole suite")
        let many = AffectedTests.of(changed: ["a/support/x.js"], tree: Set((1...3).map { "a/t\($0).html" } + ["a/support/x.js"]), maxTestPaths: 2)
        #expect(UnitFootprint(changed: ["a/support/x.js"], affected: many).folders == ["a"])
        #expect(UnitFootprint(changed: ["a/support/x.js"], affected: many).overlaps(UnitFootprint(files: ["a/t9.html"])))
        let harness = UnitFootprint(changed: ["resources/testharness.js"], affected: AffectedTests(mode: .infrastructure, paths: ["infrastructure"], folders: false))
        #expect(harness.overlaps(UnitFootprint(files: ["infrastructure/server/a.html"])), "a harness change runs the infrastructure tests")
    }

    @Test("the sync-point file records the units landed past its upstream commit")
    func syncPointFileRecordsLandedUnits() {
        let file = LandingText.syncPointFile(local: Self.sha(9), upstream: Self.sha(0), landed: [Self.sha(2), Self.sha(5)])
        #expect(String(decoding: file, as: UTF8.self) == "local: \(Self.sha(9))\nupstream: \(Self.sha(0))\nlanded: \(Self.sha(2))\nlanded: \(Self.sha(5))\n")
        #expect(LandingText.upstream(inSyncPointFile: file) == Self.sha(0))
        #expect(LandingText.landed(inSyncPointFile: file) == [Self.sha(2), Self.sha(5)])
        #expect(LandingText.landed(inSyncPointFile: Array("upstream: \(Self.sha(0))\nlanded: 12\n".utf8)).isEmpty)
    }
}
