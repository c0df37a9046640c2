import Testing
@testable import SyncCore

/// Issue 13: which PRs' metadata lands late (their import landed before their try results came in),
/// and what is left to change once an earlier update of the same PR landed.
@Suite("Late metadata rules")
struct LateMetadataRulesTests {
    static let path = "testing/web-platform/meta/dom/a.html.ini"

    static func metadata(_ revision: String, base: String = "b1", _ files: [String: DownstreamMetadata.File]) -> DownstreamMetadata {
        DownstreamMetadata(revision: revision, base: base, files: files)
    }

    /// A sync whose only try push (of `revision`) is `status`, with `metadata`.
    static func sync(_ pr: Int, _ status: DownstreamTryPush.Status = .complete, metadata: DownstreamMetadata?) -> DownstreamSync {
        var sync = DownstreamSync(pullRequest: pr)
        sync.bug = 1000 + pr
        sync.tryPushes = [DownstreamTryPush(head: "h\(pr)", treeChanges: "t\(pr)", mode: .tests, reason: .changes, status: status,
                                            revision: metadata?.revision ?? "r\(pr)")]
        sync.metadata = metadata
        return sync
    }

    static func landing(_ status: LandingStatus, units: [Int], carried: [LandedMetadata]?) -> Landing {
        var landing = Landing(status: status, upstreamBase: "a", upstreamHead: "b",
                              units: units.map { ImportUnit(pullRequest: $0, commits: ["c\($0)"], base: "p\($0)") })
        landing.metadata = carried
        return landing
    }

    static let first = metadata("r1", [path: .init(before: nil, after: "[a.html]\n  expected: FAIL\n")])

    @Test func onlyPullRequestsWhoseImportLandedGetTheirNewMetadataOnceItsRunsAreIn() {
        let landings = [
            Self.landing(.pushed, units: [1, 2], carried: [LandedMetadata(pullRequest: 2, metadata: Self.metadata("r2", [:]), late: false)]),
            Self.landing(.backedOut, units: [3], carried: []),
            Self.landing(.landed, units: [4], carried: nil),
        ]
        let landed = LateMetadata.landed(landings)
        #expect(landed.count == 2 && landed[1] == .some(nil) && landed[2] == .some(Self.metadata("r2", [:])),
                "a backed-out landing and one made before landings recorded metadata count for nothing")
        let syncs = [
            Self.sync(1, metadata: Self.first),                          // landed without metadata: due
            Self.sync(2, metadata: Self.metadata("r2", [:])),            // landed with this metadata already
            Self.sync(3, metadata: Self.first),                          // its landing was backed out
            Self.sync(5, metadata: Self.first),                          // never imported (closed unmerged)
            Self.sync(6, .running, metadata: nil),
        ]
        let unchanged = Self.sync(1, metadata: Self.metadata("r9", [:]))
        #expect(LateMetadata.due(syncs: [unchanged], landed: landed, excluded: [], stability: false) == [], "results that change nothing")
        #expect(LateMetadata.due(syncs: syncs, landed: landed, excluded: [], stability: false)
                == [LandedMetadata(pullRequest: 1, metadata: Self.first, late: true)])
        #expect(LateMetadata.due(syncs: syncs, landed: landed, excluded: [1], stability: false) == [], "imported again now: it follows its import")
        #expect(LateMetadata.due(syncs: syncs, landed: landed, excluded: [], stability: true) == [], "its stability run is still to come")
        var ready = syncs[0]
        ready.metadataReady = true
        #expect(LateMetadata.due(syncs: [ready], landed: landed, excluded: [], stability: true) == [],
                "--ready lets the import land; the late metadata still waits for the runs")
        // Once a landing carrying it is in Gecko, it is not due again.
        let after = [Self.landing(.pushed, units: [9], carried: [LandedMetadata(pullRequest: 1, metadata: Self.first, late: true)])] + landings
        #expect(LateMetadata.due(syncs: syncs, landed: LateMetadata.landed(after), excluded: [], stability: false) == [])
    }

    @Test func aLaterUpdateOfTheSamePullRequestChangesOnlyWhatTheLandedOneDidNot() {
        let other = "testing/web-platform/meta/dom/b.html.ini"
        let second = Self.metadata("r2", [
            Self.path: .init(before: nil, after: "[a.html]\n  expected: FAIL\n  disabled: x\n"),
            other: .init(before: "[b.html]\n  expected: FAIL\n", after: nil),
        ])
        #expect(second.since(nil) == second)
        #expect(second.since(Self.first).files == [
            Self.path: .init(before: "[a.html]\n  expected: FAIL\n", after: "[a.html]\n  expected: FAIL\n  disabled: x\n"),
            other: .init(before: "[b.html]\n  expected: FAIL\n", after: nil),
        ])
        // A file only the landed update changed, on the same base, goes back to the base's text.
        #expect(Self.metadata("r3", [:]).since(Self.first).files == [Self.path: .init(before: "[a.html]\n  expected: FAIL\n", after: nil)])
        #expect(Self.metadata("r3", base: "b2", [:]).since(Self.first).files == [:], "on another base, Gecko's text there is not known")
        #expect(Self.first.since(Self.first).files == [:])
    }
}
