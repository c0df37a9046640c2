import Foundation
import SyncCore
import Testing

@Suite("Downstream: try_task_config.json and the bug's text (pure)")
struct DownstreamTryAndBugTests {
    static let labels = [
        "test-linux1804-64-qr/opt-web-platform-tests-1",
        "test-linux1804-64-qr/debug-web-platform-tests-reftest-2",
        "test-windows11-64-24h2/opt-web-platform-tests-wdspec-1",
        "test-macosx1015-64-qr/opt-web-platform-tests-1",
        "test-linux1804-64-shippable-qr/opt-web-platform-tests-1",
        "test-linux1804-64-asan-qr/opt-web-platform-tests-1",
        "test-linux2204-64-tsan-qr/opt-web-platform-tests-1",
        "test-linux1804-64-qr/opt-mochitest-plain-1",
        "test-linux1804-64-qr/opt-web-platform-tests-1",
        "test-android-hw-a55-14-0-aarch64/opt-web-platform-tests-machine-1",
    ]

    @Test("web-platform-tests tasks are selected, without mac, shippable, asan and tsan, sorted once each")
    func taskLabels() {
        #expect(TryTaskConfig.taskLabels(from: Self.labels) == [
            "test-android-hw-a55-14-0-aarch64/opt-web-platform-tests-machine-1",
            "test-linux1804-64-qr/debug-web-platform-tests-reftest-2",
            "test-linux1804-64-qr/opt-web-platform-tests-1",
            "test-windows11-64-24h2/opt-web-platform-tests-wdspec-1",
        ])
    }

    @Test("version 2 with artifact builds, the test paths as a JSON string, and the same bytes for the same values")
    func json() throws {
        let config = try TryTaskConfig(testPaths: ["dom/b.html", "css/a.html", "dom/b.html"], tasks: ["t2", "t1"], rebuild: 3)
        let bytes = config.json()
        #expect(bytes == (try TryTaskConfig(testPaths: ["css/a.html", "dom/b.html"], tasks: ["t2", "t1"], rebuild: 3)).json())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["version"] as? Int == 2)
        let parameters = try #require(object["parameters"] as? [String: Any])
        let inner = try #require(parameters["try_task_config"] as? [String: Any])
        #expect(inner["use-artifact-builds"] as? Bool == true)
        #expect(inner["rebuild"] as? Int == 3)
        #expect(inner["tasks"] as? [String] == ["t2", "t1"])
        let env = try #require(inner["env"] as? [String: String])
        let paths = try #require(try JSONSerialization.jsonObject(with: Data((env["MOZHARNESS_TEST_PATHS"] ?? "").utf8)) as? [String: [String]])
        #expect(paths == ["web-platform-tests": ["testing/web-platform/tests/css/a.html", "testing/web-platform/tests/dom/b.html"]])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"parameters\" : {\n    \"try_task_config\" : {\n      \"env\" : {\n"), "keys sorted: \(text)")
        #expect(text.hasSuffix("},\n  \"version\" : 2\n}\n"))
        #expect(!text.contains("\\/"))
    }

    @Test("rebuild is left out when not asked for, and refused outside 2–20; the whole suite is the wpt folder")
    func rebuildAndWholeSuite() throws {
        let once = try TryTaskConfig(testPaths: [""], tasks: [])
        #expect(!String(decoding: once.json(), as: UTF8.self).contains("rebuild"))
        #expect(once.geckoTestPaths(wpt: "testing/web-platform/tests/") == ["testing/web-platform/tests"])
        for count in [1, 21, 0, -2] {
            #expect(throws: DownstreamError.rebuildOutOfRange(count)) { try TryTaskConfig(testPaths: [], tasks: [], rebuild: count) }
        }
        #expect(DownstreamError.rebuildOutOfRange(21).description == "rebuild must be between 2 and 20, not 21")
        _ = try TryTaskConfig(testPaths: [], tasks: [], rebuild: 20)
    }

    @Test("the summary is one line of at most 255 characters, cut between characters")
    func summary() {
        #expect(DownstreamBug.summary(number: 12, title: "Fix\tgrid\r\n  gaps\u{1B}[31m") == "[wpt-sync] Sync PR 12 - Fix grid gaps[31m")
        #expect(DownstreamBug.summary(number: 12, title: " \u{7}\n") == "[wpt-sync] Sync PR 12")
        let long = DownstreamBug.summary(number: 12, title: String(repeating: "a", count: 300))
        #expect(long.unicodeScalars.count == 255 && long.hasSuffix("a…"))
        let family = "👨‍👩‍👧‍👦"
        let prefix = "[wpt-sync] Sync PR 12 - "
        let title = String(repeating: "b", count: 255 - prefix.count - 3) + family
        let cut = DownstreamBug.summary(number: 12, title: title)
        #expect(cut == prefix + String(repeating: "b", count: 255 - prefix.count - 3) + "…", "the family emoji (7 scalars) is not split")
        let exact = DownstreamBug.summary(number: 1, title: String(repeating: "é", count: 232))
        #expect(exact.unicodeScalars.count == 255 && exact.hasSuffix("é"), "exactly 255 is not cut")
    }

    @Test("the description quotes the PR's body, cleaned and bounded; the fields are the production service's")
    func description() {
        let bug = DownstreamBug(number: 12, title: "Grid", url: "https://github.com/web-platform-tests/wpt/pull/12",
                                body: "First line\r\n\r\n  code\u{7}\n", author: "octocat",
                                component: BugComponent(product: "Core", component: "Layout: Grid"))
        #expect(bug.description.hasSuffix("PR: https://github.com/web-platform-tests/wpt/pull/12\n\noctocat wrote:\n> First line\n>\n>   code\n"))
        #expect(bug.whiteboard == "[wptsync downstream]" && bug.type == "task" && bug.url.hasSuffix("/pull/12"))
        #expect(DownstreamBug.description(number: 1, url: "u", body: " \n", author: nil).hasSuffix("The PR has no description.\n"))
        let huge = DownstreamBug.description(number: 1, url: "u", body: String(repeating: "x\n", count: 100_000), author: nil)
        #expect(huge.utf8.count < DownstreamBug.quotedBodyLimit * 2 + 1_000 && huge.hasSuffix("> [truncated]\n"))
    }

    @Test("milestone comments link the try push on Treeherder")
    func comments() {
        let revision = String(repeating: "c", count: 40)
        #expect(DownstreamBug.comment(.tryPushed(revision: revision), treeherder: "http://127.0.0.1:9/")
            == "Try push for the PR's changes: http://127.0.0.1:9/jobs?repo=try&revision=\(revision)")
        #expect(DownstreamBug.comment(.breaksRunner(revision: revision)).contains("breaks the test runner"))
    }
}
