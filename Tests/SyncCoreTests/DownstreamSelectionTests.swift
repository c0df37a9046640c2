import SyncCore
import Testing

@Suite("Downstream: which PRs, which tests (pure)")
struct DownstreamSelectionTests {
    private func pr(_ branch: String, labels: [String] = [], body: String = "") -> PullRequestFacts {
        PullRequestFacts(number: 7, url: "https://github.com/web-platform-tests/wpt/pull/7", branch: branch, state: .open,
                         body: body, labels: labels, head: String(repeating: "a", count: 40))
    }

    private let label = UpstreamSettings().label
    private let exclude = LandingSettings.defaultExclude

    @Test("wptsync's own upstream syncs and their reverts are skipped; a person's PR on a gecko/ branch is not")
    func ownPullRequests() {
        let node = String(repeating: "b", count: 40)
        #expect(DownstreamSelection.decide(pr("gecko/1234", labels: [label]), changedPaths: ["dom/a.html"], label: label, exclude: exclude)
            == .skip(reason: "PR #7 is wptsync's own upstream sync (gecko/1234)"))
        #expect(DownstreamSelection.isUpstreamSync(pr("gecko/1234-2", body: "Fix the grid\n\ngecko-commits: \(node)"), label: label))
        #expect(DownstreamSelection.isUpstreamSync(pr("gecko/revert/1234", labels: [label]), label: label))
        #expect(DownstreamSelection.isUpstreamSync(pr("gecko/changeset-\(node.prefix(12))", labels: [label]), label: label))
        #expect(!DownstreamSelection.isUpstreamSync(pr("gecko/1234"), label: label), "a fork's branch named like a sync, without label or metadata")
        #expect(!DownstreamSelection.isUpstreamSync(pr("gecko/revert/x", labels: [label]), label: label))
        #expect(!DownstreamSelection.isUpstreamSync(pr("fix-grid", labels: [label]), label: label))
        #expect(DownstreamSelection.decide(pr("fix-grid"), changedPaths: ["css/a.html"], label: label, exclude: exclude) == .sync)
    }

    @Test("a PR changing only what the landing excludes is skipped, through the landing's own rule")
    func excludedPaths() {
        let exclude = ["resources/testdriver_vendor.js", "infrastructure/metadata"]
        #expect(DownstreamSelection.decide(pr("x"), changedPaths: ["resources/testdriver_vendor.js", "infrastructure/metadata/a.ini"],
                                           label: label, exclude: exclude) == .skip(reason: "PR #7 changes nothing Gecko imports"))
        #expect(DownstreamSelection.importedPaths(["infrastructure/metadata2/a", "infrastructure/metadata", "resources/testdriver_vendor.js.bak"],
                                                  exclude: exclude) == ["infrastructure/metadata2/a", "resources/testdriver_vendor.js.bak"])
        #expect(DownstreamSelection.decide(pr("x"), changedPaths: [], label: label, exclude: exclude) == .skip(reason: "PR #7 changes nothing Gecko imports"))
    }

    @Test("what a path is, by wpt's naming rules", arguments: [
        ("css/css-grid/grid-001.html", WPTFileKind.test),
        ("css/css-grid/grid-001-ref.html", .support),
        ("css/css-grid/reference/grid-001.html", .support),
        ("css/css-grid/grid_notref.xht", .support),
        ("css/css-grid/refresh.html", .test),
        ("css/css-grid/preference-2.html", .test),
        ("dom/nodes/Node-cloneNode.any.js", .test),
        ("workers/a.worker.js", .test),
        ("dom/a.window.js", .test),
        ("dom/helper.js", .support),
        ("dom/resources/a.html", .support),
        ("dom/a/support/b.html", .support),
        ("common/utils.js", .support),
        ("css/common/x.html", .support),
        ("index.html", .support),
        ("dom/a.html.headers", .support),
        ("dom/MANIFEST.json", .support),
        ("dom/a-manual.html", .support),
        ("dom/crashtests/boom.html", .test),
        ("dom/boom-crash.html", .test),
        ("webdriver/tests/classic/get_title/get.py", .test),
        ("webdriver/tests/support/helpers.py", .support),
        ("webdriver/tests/__init__.py", .support),
        ("html/x.py", .support),
        ("conformance-checkers/html/a-isvalid.html", .support),
        ("dom/META.yml", .documentation),
        ("dom/WEB_FEATURES.yml", .documentation),
        ("dom/README.md", .documentation),
        ("dom/.gitignore", .documentation),
        ("svg/shapes/rect.svg", .test),
        ("dom/image.png", .support),
    ])
    func kinds(path: String, kind: WPTFileKind) {
        #expect(WPTFileKind.of(path) == kind)
    }

    private let tree: Set<String> = [
        "css/css-grid/a.html", "css/css-grid/b.html", "css/css-grid/a-ref.html", "css/css-grid/support/grid.css",
        "css/css-grid/sub/c.html", "css/css-grid/reference/r.html", "css/css-grid/META.yml",
        "dom/x.any.js", "dom/resources/helper.js", "dom/nodes/y.html",
        "resources/testharness.js", "tools/wpt/run.py", "infrastructure/server/a.html", "common/utils.js", "README.md",
    ]

    @Test("changed tests run as they are; a support file runs the tests beside it; deleted files count for nothing")
    func affected() {
        func of(_ changed: [String]) -> AffectedTests { AffectedTests.of(changed: changed, tree: tree) }
        #expect(of(["css/css-grid/a.html", "dom/nodes/gone.html"]) == AffectedTests(mode: .tests, paths: ["css/css-grid/a.html"], folders: false))
        #expect(of(["css/css-grid/support/grid.css"]).paths == ["css/css-grid/a.html", "css/css-grid/b.html"])
        #expect(of(["css/css-grid/a-ref.html"]).paths == ["css/css-grid/a.html", "css/css-grid/b.html"])
        #expect(of(["css/css-grid/reference/r.html", "dom/resources/helper.js"]).paths
            == ["css/css-grid/a.html", "css/css-grid/b.html", "dom/x.any.js"])
        #expect(of(["css/css-grid/META.yml", "README.md"]) == AffectedTests(mode: .none, paths: [], folders: false))
        #expect(of(["common/utils.js"]).mode == .none)
        #expect(of(["css/css-grid/gone-ref.html"]).mode == .none)
    }

    @Test("a PR changing only the harness or the tools runs the infrastructure tests; with a test, the test")
    func infrastructure() {
        let harness = AffectedTests(mode: .infrastructure, paths: ["infrastructure"], folders: false)
        #expect(AffectedTests.of(changed: ["resources/testharness.js"], tree: tree) == harness)
        #expect(AffectedTests.of(changed: ["tools/wpt/run.py", "README.md"], tree: tree) == harness)
        #expect(AffectedTests.of(changed: ["tools/wpt/deleted.py"], tree: tree) == harness)
        #expect(AffectedTests.of(changed: ["resources/testharness.js", "dom/x.any.js"], tree: tree).paths == ["dom/x.any.js"])
        #expect(AffectedTests.of(changed: ["dom/resources/helper.js"], tree: tree).mode == .tests, "resources/ below the root is support")
    }

    @Test("above max_test_paths the folders run instead, and above that their parents")
    func limit() {
        let grid = (0..<6).flatMap { folder in (0..<3).map { "css/css-\(folder)/sub/t\($0).html" } }
        let tests = grid + ["css/css-0/other/t.html", "dom/t.html"]
        let tree = Set(tests)
        func paths(_ max: Int) -> [String] { AffectedTests.of(changed: tests, tree: tree, maxTestPaths: max).paths }
        #expect(paths(20) == tests.sorted())
        #expect(AffectedTests.of(changed: tests, tree: tree).paths == tests.sorted(), "the default allows 500")
        let folders = AffectedTests.of(changed: tests, tree: tree, maxTestPaths: 19)
        #expect(folders.folders && folders.paths == ["css/css-0/other"] + (0..<6).map { "css/css-\($0)/sub" } + ["dom"])
        #expect(paths(7) == (0..<6).map { "css/css-\($0)" } + ["dom"])
        #expect(paths(2) == ["css", "dom"])
        #expect(paths(1) == [""])
    }
}
