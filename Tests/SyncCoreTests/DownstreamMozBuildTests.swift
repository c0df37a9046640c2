import SyncCore
import Testing

@Suite("Downstream: bug components from moz.build (pure)")
struct DownstreamMozBuildTests {
    /// An excerpt of Gecko's real `testing/web-platform/moz.build` (mozilla/gecko-dev, commit
    /// 21c4ecdbb52e285b0d294abcf2cce8e6a0d67d7d), lines kept verbatim and in order: the header,
    /// the multi-line assignments outside blocks, `SCHEDULES` inside blocks, comments between
    /// blocks, a doubled blank line, the two blocks of the same pattern (`content-dpr`, `webgl`),
    /// and the trailing `SPHINX_TREES`.
    static let realExcerpt = """
    # -*- Mode: python; indent-tabs-mode: nil; tab-width: 40 -*-
    # vim: set filetype=python:
    # This Source Code Form is subject to the terms of the Mozilla Public
    # License, v. 2.0. If a copy of the MPL was not distributed with this
    # file, You can obtain one at http://mozilla.org/MPL/2.0/.

    TEST_HARNESS_FILES["web-platform"] += [
        "mach_commands_base.py",
        "mach_test_package_commands.py",
        "outbound/**",
        "runtests.py",
        "wptrunner.ini",
    ]

    PYTHON_UNITTEST_MANIFESTS += ["python.toml"]

    with Files("**"):
        SCHEDULES.exclusive = [
            "web-platform-tests",
            "web-platform-tests-reftest",
            "web-platform-tests-wdspec",
        ]

    with Files("moz.build"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("meta/**"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("mozilla/tests/webdriver/**"):
        BUG_COMPONENT = ("Remote Protocol", "Marionette")

    with Files("mozilla/tests/webdriver/bidi/**"):
        BUG_COMPONENT = ("Remote Protocol", "WebDriver BiDi")

    with Files("mach*"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("*.py"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("tests/*.md"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("tests/**"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")
        SCHEDULES.inclusive += ["test-verify-wpt"]

    with Files("tests/wpt"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")


    with Files("tests/FileAPI/**"):
        BUG_COMPONENT = ("Core", "DOM: File")

    # Appears to be testing -webkit specific css properties
    with Files("tests/compat/**"):
        BUG_COMPONENT = ("Core", "Layout")

    with Files("tests/content-dpr/**"):
        BUG_COMPONENT = ("Core", "DOM: Core & HTML")

    with Files("tests/content-dpr/**"):
        BUG_COMPONENT = ("Core", "DOM: Editor")

    with Files("tests/css/**"):
        BUG_COMPONENT = ("Core", "CSS Parsing and Computation")

    with Files("tests/css/css-grid/**"):
        BUG_COMPONENT = ("Core", "Layout: Grid")

    with Files("tests/html/**"):
        BUG_COMPONENT = ("Core", "DOM: Core & HTML")

    with Files("tests/html/canvas/**"):
        BUG_COMPONENT = ("Core", "Graphics: Canvas2D")

    # To be implemented in bug 1272409
    with Files("tests/resize-observer/**"):
        BUG_COMPONENT = ("Core", "Layout")

    with Files("tests/resources/**"):
        BUG_COMPONENT = ("Testing", "web-platform-tests")

    with Files("tests/webgl/**"):
        BUG_COMPONENT = ("Core", "Graphics: CanvasWebGL")

    with Files("tests/webgl/**"):
        BUG_COMPONENT = ("Core", "Graphics: WebGPU")

    SPHINX_TREES["/web-platform"] = "docs"

    """

    private func parse(_ text: String) throws -> MozBuildComponents { try MozBuildComponents.parse(Array(text.utf8)) }
    private func component(_ product: String, _ component: String) -> BugComponent { BugComponent(product: product, component: component) }

    @Test("the real file's blocks are read and the rest skipped; the last matching block wins")
    func realExcerpt() throws {
        let rules = try parse(Self.realExcerpt)
        #expect(rules.rules.count == 21)
        #expect(rules.rules.first?.patterns == ["moz.build"] && rules.rules.first?.line == 24)
        let wpt = MozBuildComponents.relativeWPT(PathPrefixes().wpt)
        #expect(wpt == "tests")
        let owners: [(String, BugComponent?)] = [
            ("tests/css/css-grid/grid-items/item-001.html", component("Core", "Layout: Grid")),
            ("tests/css/css-flexbox/flex-001.html", component("Core", "CSS Parsing and Computation")),
            ("tests/content-dpr/x.html", component("Core", "DOM: Editor")),
            ("tests/webgl/a/b.html", component("Core", "Graphics: WebGPU")),
            ("tests/html/canvas/element/a.html", component("Core", "Graphics: Canvas2D")),
            ("tests/html/dom/a.html", component("Core", "DOM: Core & HTML")),
            ("tests/README.md", .webPlatformTests),
            ("tests/wpt", .webPlatformTests),
            ("mozilla/tests/webdriver/bidi/x/test.py", component("Remote Protocol", "WebDriver BiDi")),
            ("mach_commands.py", .webPlatformTests),
            ("products/README", nil),
        ]
        for (path, owner) in owners { #expect(rules.component(of: path) == owner, "\(path)") }
        #expect(rules.choose(wptPaths: ["css/css-grid/a.html", "css/css-grid/b.html", "html/c.html"]) == component("Core", "Layout: Grid"))
        #expect(rules.choose(wptPaths: ["css/css-grid/a.html"], wpt: "elsewhere/wpt") == .webPlatformTests)
    }

    @Test("the component owning most changed files wins; UNKNOWN only when alone; ties and no owner are decided")
    func choice() throws {
        let rules = try parse("""
        with Files("a/**"):
            BUG_COMPONENT = ("Core", "A")
        with Files("b/**"):
            BUG_COMPONENT = ("Core", "B")
        with Files("c/**"):
            BUG_COMPONENT = ("Core", "UNKNOWN")
        with Files("t/**"):
            BUG_COMPONENT = ("Testing", "web-platform-tests")
        """)
        #expect(rules.choose(for: ["a/1", "b/1", "b/2"]) == component("Core", "B"))
        #expect(rules.choose(for: ["a/1", "c/1", "c/2", "c/3"]) == component("Core", "A"))
        #expect(rules.choose(for: ["c/1"]) == component("Core", "UNKNOWN"))
        #expect(rules.choose(for: ["b/1", "a/1"]) == component("Core", "A"), "a tie goes to the first by product and component")
        #expect(rules.choose(for: ["t/1", "b/1"]) == component("Core", "B"), "a tie goes to the owner that is not the default")
        #expect(rules.choose(for: ["b/1", "b/1", "a/1", "a/2"]) == component("Core", "A"), "a path counts once")
        #expect(rules.choose(for: ["x/1"]) == .webPlatformTests)
        #expect(rules.choose(for: []) == .webPlatformTests)
    }

    @Test("Python's syntax around the blocks: several patterns, quotes, comments, continuations, nested statements")
    func syntax() throws {
        let rules = try parse("""
        with Files('a/*.html', "b/**",):  # trailing comment
            # a comment inside
            if CONFIG["OS_TARGET"] == "WINNT":
                DEFINES["X"] = 1
            BUG_COMPONENT = (
                "Core",
                "Layout",  # why
            )
        \r
        X = \\
            3
        DOCS = \"\"\"text with "quotes"
        and a second line\"\"\"
        with Files("it's/**"):
            BUG_COMPONENT = ('Core', 'Esc\\'aped')
        """)
        #expect(rules.rules.map(\.patterns) == [["a/*.html", "b/**"], ["it's/**"]])
        #expect(rules.rules.map(\.component) == [component("Core", "Layout"), component("Core", "Esc'aped")])
        #expect(rules.component(of: "a/x.html") == component("Core", "Layout"))
        #expect(rules.component(of: "a/sub/x.html") == nil)
    }

    @Test("what cannot be read is an error naming its line and column", arguments: [
        ("with Files(\"a/**\"):\n    BUG_COMPONENT = (\"Core\")\n", 2, 21, MozBuildProblem.malformedBugComponent),
        ("with Files(\"a/**\"):\n    BUG_COMPONENT = [\"Core\", \"X\"]\n", 2, 21, .malformedBugComponent),
        ("with Files(\"a/**\"):\n    BUG_COMPONENT = (\"Core\", NAME)\n", 2, 21, .malformedBugComponent),
        ("with Files(PATTERN):\n    BUG_COMPONENT = (\"Core\", \"X\")\n", 1, 12, .patternNotString),
        ("with Files():\n    BUG_COMPONENT = (\"Core\", \"X\")\n", 1, 6, .noPattern),
        ("with Files(\"a\")\n    BUG_COMPONENT = (\"Core\", \"X\")\n", 1, 16, .expected("':' ending the with line")),
        ("with Files(\"a\"):\nX = 1\n", 1, 17, .emptyBlock),
        ("X = 1\n  Y = 2\n", 2, 3, .unexpectedIndent),
        ("BUG_COMPONENT = (\"Core\", \"X\")\n", 1, 1, .bugComponentOutsideFiles),
        ("if X:\n    with Files(\"a\"):\n        BUG_COMPONENT = (\"Core\", \"X\")\n", 2, 5, .nestedInBlock),
        ("with Files(\"a\"):\n    if X:\n        BUG_COMPONENT = (\"Core\", \"X\")\n", 3, 9, .nestedInBlock),
        ("X = [1,\n  2\n", 1, 5, .unclosedBracket("[")),
        ("X = (1]\n", 1, 7, .unbalancedBracket(found: "]")),
        ("with Files(\"a/**):\n", 1, 12, .unterminatedString),
    ] as [(String, Int, Int, MozBuildProblem)])
    func errors(text: String, line: Int, column: Int, problem: MozBuildProblem) {
        #expect(throws: DownstreamError.mozBuild(line: line, column: column, problem)) { try parse(text) }
    }

    @Test func notUTF8IsNamedWhereItIs() {
        let bytes = Array("with Files(\"a\"):\n    BUG_COMPONENT = (\"Cé".utf8) + [0xFF] + Array("\", \"X\")\n".utf8)
        #expect(throws: DownstreamError.mozBuild(line: 2, column: 25, .notUTF8)) { try MozBuildComponents.parse(bytes) }
        let error = DownstreamError.mozBuild(line: 2, column: 25, .notUTF8)
        #expect(error.description == "testing/web-platform/moz.build line 2, column 25: not UTF-8")
    }

    @Test("mozpack patterns: * within a segment, ** across folders, a folder covers its files", arguments: [
        ("tests/css/a.html", "tests/css/**", true),
        ("tests/css", "tests/css/**", true),
        ("tests/cssx/a.html", "tests/css/**", false),
        ("tests/css/a/b/c.html", "tests/css", true),
        ("tests/css/a/b/c.html", "tests/*/a", true),
        ("tests/x.md", "tests/*.md", true),
        ("tests/a/x.md", "tests/*.md", false),
        ("a/b/c/d.py", "**/d.py", true),
        ("d.py", "**/d.py", true),
        ("a/x/y/b", "a/**/b", true),
        ("a/b", "a/**/b", true),
        ("a/b", "a/*/b", false),
        ("mach_commands.py", "mach*", true),
        ("a?b", "a?b", true),
        ("axb", "a?b", false),
        ("a[1]", "a[1]", true),
        ("anything/at/all", "", true),
        ("foo.html", "f*o*.html", true),
        ("fo.html", "f*o*o.html", false),
    ])
    func patterns(path: String, pattern: String, expected: Bool) {
        #expect(MozPathPattern.matches(path, pattern: pattern) == expected)
    }
}
