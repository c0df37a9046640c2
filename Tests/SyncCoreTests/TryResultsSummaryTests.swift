import Foundation
import SyncCore
import Testing

@Suite("Downstream: what try results say on the bug (pure)")
struct TryResultsSummaryTests {
    static let linux: RunInfo = ["os": .string("linux"), "debug": .bool(false)]

    @Test("unexpected tests and subtests are counted per platform, once across chunks and retriggers")
    func perPlatform() throws {
        let opt = "test-linux1804-64-qr/opt-web-platform-tests"
        let first = WPTReport(runInfo: Self.linux, results: [
            WPTTestResult(test: "/a.html", status: "OK", subtests: [
                WPTSubtestResult(name: "one", status: "FAIL", expected: "PASS"),
                WPTSubtestResult(name: "two", status: "PASS"),
                WPTSubtestResult(name: "three", status: "TIMEOUT", expected: "PASS", knownIntermittent: ["TIMEOUT"]),
            ]),
            WPTTestResult(test: "/b.html", status: "TIMEOUT", expected: "OK"),
        ])
        // A retrigger of the same label, where /b.html passed and /a.html's "two" failed.
        let retrigger = WPTReport(runInfo: Self.linux, results: [
            WPTTestResult(test: "/a.html", status: "OK", subtests: [WPTSubtestResult(name: "two", status: "FAIL", expected: "PASS")]),
            WPTTestResult(test: "/b.html", status: "OK"),
        ])
        let debug = WPTReport(runInfo: ["os": .string("linux"), "debug": .bool(true)], results: [
            WPTTestResult(test: "/c.html", status: "PASS"),
        ])
        let mac = WPTReport(runInfo: ["os": .string("mac"), "debug": .bool(false)], results: [
            WPTTestResult(test: "/c.html", status: "CRASH", expected: "PASS"),
        ])
        let summary = TryResultsSummary([(opt + "-1", first), (opt + "-1", retrigger),
                                         ("test-linux1804-64-qr/debug-web-platform-tests-reftest-2", debug), ("oddly named", mac)])
        #expect(summary.platforms == [
            .init(name: "linux1804-64-qr/debug", tests: 1, unexpectedTests: 0, subtests: 0, unexpectedSubtests: 0),
            .init(name: "linux1804-64-qr/opt", tests: 2, unexpectedTests: 1, subtests: 3, unexpectedSubtests: 2),
            .init(name: "mac/opt", tests: 1, unexpectedTests: 1, subtests: 0, unexpectedSubtests: 0),
        ])
        #expect(summary.text == """
            Unexpected results, by platform:
            - linux1804-64-qr/debug: 0 of 1 test, 0 of 0 subtests
            - linux1804-64-qr/opt: 1 of 2 tests, 2 of 3 subtests
            - mac/opt: 1 of 1 test, 0 of 0 subtests
            """)
        let comment = DownstreamBug.comment(.results(revision: "abc"), treeherder: "http://127.0.0.1:9", results: summary)
        #expect(comment.hasPrefix("The try run's results are in: http://127.0.0.1:9/jobs?repo=try&revision=abc\n\nUnexpected results"))
        #expect(TryResultsSummary([]).text == "No web-platform-tests report was published.")
    }

    @Test("a conflict's comment names what does not apply")
    func blockedComment() {
        let text = DownstreamBug.comment(.blocked(reason: "does not apply to mozilla-central: css/a.html", treeChanges: "c1"))
        #expect(text.contains("does not apply to mozilla-central: css/a.html") && text.contains("waits for a person"))
    }
}
