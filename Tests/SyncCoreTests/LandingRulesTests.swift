import SyncCore
import Testing

@Suite("Landing rules (pure)")
struct LandingRulesTests {
    private func sha(_ c: Character) -> String { String(repeating: c, count: 40) }

    @Test("PR numbers come from merge commits and squash suffixes, nothing else", arguments: [
        ("Merge pull request #123 from someone/branch\n\nTitle", 123),
        ("Fix the thing (#4567)", 4567),
        ("Fix the thing (#4567)\n\nBody (#1)", 4567),
        ("  Fix (#8)  \n", 8),
        ("Fix (see #12) more", nil),
        ("Fix (#12) more", nil),
        ("Fix (#)", nil),
        ("Fix (#0)", nil),
        ("Fix (#12345678901)", nil),
        ("Merge pull request #x from a/b", nil),
        ("Update README", nil),
        ("", nil),
    ] as [(String, Int?)])
    func pullRequestNumbers(message: String, expected: Int?) {
        #expect(PullRequestNumbers.fromMessage(Array(message.utf8)) == expected)
    }

    @Test func geckoNodeIsReadFromExportedCommits() {
        let message = "Test x\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=5\ngecko-commit: \(sha("a"))\ngecko-reviewers: bob\n"
        #expect(PullRequestNumbers.geckoNode(in: Array(message.utf8)) == sha("a"))
        #expect(PullRequestNumbers.geckoNode(in: Array("Plain upstream commit".utf8)) == nil)
    }

    @Test("consecutive commits of one PR (a rebase merge) form one unit; commits without a PR stand alone")
    func units() {
        let units = ImportPlanner.units([
            MasterCommit(sha: sha("1"), parent: sha("0"), pullRequest: 5),
            MasterCommit(sha: sha("2"), parent: sha("1"), pullRequest: 5),
            MasterCommit(sha: sha("3"), parent: sha("2"), pullRequest: nil),
            MasterCommit(sha: sha("4"), parent: sha("3"), pullRequest: nil),
            MasterCommit(sha: sha("5"), parent: sha("4"), pullRequest: 6),
            MasterCommit(sha: sha("6"), parent: sha("5"), pullRequest: 5),
        ])
        #expect(units.map(\.pullRequest) == [5, nil, nil, 6, 5])
        #expect(units[0].commits == [sha("1"), sha("2")] && units[0].base == sha("0") && units[0].head == sha("2"))
        #expect(units[4].base == sha("5"))
    }

    @Test("the import keeps each disposition and stops the sync point before the first unit held back")
    func importablePrefix() {
        let units = (1...4).map { ImportUnit(pullRequest: $0, commits: [sha(Character("\($0)"))], base: sha(Character("\($0 - 1)"))) }
        let plan = ImportPlanner.plan(units, after: sha("0"), landed: []) { unit in
            switch unit.pullRequest {
            case 2: .ready(.passOver(reason: "already in Gecko"))
            case 3: .hold(reason: "no try run yet")
            default: .ready(.apply)
            }
        } footprint: { _ in UnitFootprint(files: []) }
        #expect(plan.ready.map(\.pullRequest) == [1, 2, 4], "nothing overlaps PR 3's footprint")
        #expect(plan.ready.map(\.disposition) == [.apply, .passOver(reason: "already in Gecko"), .apply])
        #expect(plan.held == [HeldUnit(pullRequest: 3, head: sha("3"), reason: "no try run yet")])
        #expect(plan.syncPoint == sha("2") && plan.landedBeyond == [sha("4")])
        #expect(ImportPlanner.plan(units, after: sha("0"), landed: []) { _ in .ready(.apply) } footprint: { _ in UnitFootprint(files: []) }.held.isEmpty)
    }

    @Test("the PR commit carries the production format and the markers that stop re-export")
    func pullRequestCommitMessage() {
        let bytes = LandingText.pullRequestCommit(bug: 42, pullRequest: 7, title: "Add\na test\u{7}",
                                                  commits: [(sha("a"), Array("First\n\nDetails\n".utf8)), (sha("b"), Array("Second".utf8))])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == """
            Bug 42 [wpt PR 7] - Add a test, a=testonly

            Automatic update from web-platform-tests
            First

            Details

            --
            Second

            --

            wpt-pr: 7
            wpt-commits: \(sha("a")), \(sha("b"))

            """)
        let parsed = CommitMessage.parse(bytes: bytes)
        #expect(parsed.bugs == [42] && parsed.metadata["wpt-pr"] == "7")
        let changeset = GeckoChangeset(node: sha("c"), isMerge: false, description: bytes, files: [Array("testing/web-platform/tests/a.html".utf8)])
        #expect(changeset.kind(prefixes: PathPrefixes()) == .skip("imported from upstream"))
    }

    @Test func landingCommitAndSyncPoint() {
        let landing = LandingText.landingCommit(bug: 42, head: sha("d"))
        let changeset = GeckoChangeset(node: sha("c"), isMerge: false, description: landing,
                                       files: [Array("testing/web-platform/meta/mozilla-sync".utf8)])
        #expect(changeset.kind(prefixes: PathPrefixes()) == .skip("imported from upstream"))
        #expect(CommitMessage.parse(bytes: landing).metadata["wpt-type"] == "landing")
        let file = LandingText.syncPointFile(local: sha("e"), upstream: sha("f"))
        #expect(String(decoding: file, as: UTF8.self) == "local: \(sha("e"))\nupstream: \(sha("f"))\n")
        #expect(LandingText.upstream(inSyncPointFile: file) == sha("f"))
        #expect(LandingText.upstream(inSyncPointFile: Array("upstream: \(sha("F").uppercased())\n".utf8)) == sha("f"))
        #expect(LandingText.upstream(inSyncPointFile: Array("upstream: 1234\n".utf8)) == nil)
        #expect(LandingText.upstream(inSyncPointFile: Array("local: \(sha("e"))\n".utf8)) == nil)
    }

    @Test func commitWithoutPullRequestMessage() {
        let text = String(decoding: LandingText.commitWithoutPullRequest(bug: 9, sha: sha("a"), message: Array("Fix lint\n\nmore".utf8)), as: UTF8.self)
        #expect(text.hasPrefix("Bug 9 [wpt commit aaaaaaaaaaaa] - Fix lint, a=testonly\n\nAutomatic update from web-platform-tests\nFix lint\n\nmore\n\n--\n"))
        #expect(text.hasSuffix("wpt-commits: \(sha("a"))\n") && !text.contains("wpt-pr"))
    }
}
