import Foundation
import SyncCore
import Testing
import TestSupport

@Suite("wptsync metadata: a PR's expectations recomputed from wptreport.json files", .serialized)
struct MetadataCommandTests {
    static func report(os: String, _ results: String) -> String {
        #"{"run_info": {"os": "\#(os)", "debug": false, "bits": 64}, "time_start": 1, "time_end": 2, "results": [\#(results)]}"#
    }

    /// mozilla-central with metadata for `dom/a.html` (a failing subtest), and a landing clone configured.
    static func world(extraConfig: String = "", geckoKind: GeckoKind = .hg) throws -> (SyncWorld, reports: [String]) {
        let dir = TempDir("metadata-command")
        let world = try SyncWorld(extraConfig: """
            [landing]
            repository = "autoland"
            bug = 1
            clone = "\(dir.sub("landing-clone"))"

            """ + extraConfig, installHooks: false, dir: dir, geckoKind: geckoKind)
        try world.landInGecko(["testing/web-platform/meta/dom/a.html.ini": "[a.html]\n  [s]\n    expected: FAIL\n"],
                              message: "Bug 2 - metadata", to: world.central)
        let linux = dir.sub("linux.json"), windows = dir.sub("windows.json")
        try writeFile(linux, report(os: "linux", """
            {"test": "/dom/a.html", "status": "OK", "subtests": [{"name": "s", "status": "PASS", "expected": "FAIL"}]},
            {"test": "/dom/b.any.worker.html", "status": "TIMEOUT", "expected": "OK", "subtests": []}
            """))
        try writeFile(windows, report(os: "win", """
            {"test": "/dom/a.html", "status": "OK", "subtests": [{"name": "s", "status": "PASS", "expected": "FAIL"}]},
            {"test": "/dom/b.any.worker.html", "status": "OK", "subtests": []}
            """))
        return (world, [linux, windows])
    }

    static let diff = """
        diff --git a/testing/web-platform/meta/dom/a.html.ini b/testing/web-platform/meta/dom/a.html.ini
        deleted file mode 100644
        index 80e27a3..0000000
        --- a/testing/web-platform/meta/dom/a.html.ini
        +++ /dev/null
        @@ -1,3 +0,0 @@
        -[a.html]
        -  [s]
        -    expected: FAIL
        diff --git a/testing/web-platform/meta/dom/b.any.js.ini b/testing/web-platform/meta/dom/b.any.js.ini
        new file mode 100644
        index 0000000..428cdf4
        --- /dev/null
        +++ b/testing/web-platform/meta/dom/b.any.js.ini
        @@ -0,0 +1,3 @@
        +[b.any.worker.html]
        +  expected:
        +    if os == "linux": TIMEOUT
        """

    @Test("prints the diff against central's tip and changes nothing; --commit writes the metadata commit in the landing clone",
          arguments: GeckoKind.allCases)
    func diffThenCommit(gecko: GeckoKind) throws {
        let (world, reports) = try Self.world(geckoKind: gecko)
        let centralTip = { gecko == .git ? try sh("git", ["--git-dir", world.central, "rev-parse", "main"]).trimmingCharacters(in: .whitespacesAndNewlines)
            : try sh("hg", ["log", "-r", "tip", "-T", "{node}"], in: world.central) }
        let tip = try centralTip()
        let printed = try world.wptsync(["metadata", "7", "--from"] + reports)
        #expect(printed == "PR #7: 2 metadata file(s) change on \(tip.prefix(12))\n" + Self.diff + "\n")
        #expect(!FileManager.default.fileExists(atPath: world.dir.sub("landing-clone")), "a diff writes nothing")

        let committed = try world.wptsync(["metadata", "7", "--from"] + reports + ["--bug", "1234", "--commit"])
        let clone = world.dir.sub("landing-clone")
        guard gecko == .hg else {
            let git = { (arguments: [String]) in try sh("git", ["--git-dir", clone] + arguments) }
            let prefix = committed.components(separatedBy: "committed as ").dropFirst().first?.prefix(12) ?? "-"
            let node = try git(["rev-parse", String(prefix)]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(committed.hasPrefix("PR #7: 2 metadata file(s) change on \(tip.prefix(12)), committed as \(node.prefix(12))\n"), "\(committed)")
            #expect(try git(["rev-parse", node + "^"]).trimmingCharacters(in: .whitespacesAndNewlines) == tip)
            #expect(try git(["log", "-1", "--format=%B", node]).trimmingCharacters(in: .newlines)
                == "Bug 1234 [wpt PR 7] - Update wpt metadata, a=testonly\n\nwpt-pr: 7\nwpt-type: metadata")
            #expect(try git(["show", node + ":testing/web-platform/meta/dom/b.any.js.ini"]) == "[b.any.worker.html]\n  expected:\n    if os == \"linux\": TIMEOUT\n")
            #expect(try git(["diff-tree", "--no-commit-id", "--name-status", "-r", node])
                == "D\ttesting/web-platform/meta/dom/a.html.ini\nA\ttesting/web-platform/meta/dom/b.any.js.ini\n")
            #expect(try centralTip() == tip, "central is only read")
            return
        }
        let node = try sh("hg", ["log", "-r", "children(\(tip))", "-T", "{node}"], in: clone)
        #expect(committed.hasPrefix("PR #7: 2 metadata file(s) change on \(tip.prefix(12)), committed as \(node.prefix(12))\n"), "\(committed)")
        #expect(try sh("hg", ["log", "-r", node, "-T", "{desc}"], in: clone)
            == "Bug 1234 [wpt PR 7] - Update wpt metadata, a=testonly\n\nwpt-pr: 7\nwpt-type: metadata")
        #expect(try sh("hg", ["cat", "-r", node, "testing/web-platform/meta/dom/b.any.js.ini"], in: clone)
            == "[b.any.worker.html]\n  expected:\n    if os == \"linux\": TIMEOUT\n")
        #expect(try sh("hg", ["status", "--change", node], in: clone)
            == "A testing/web-platform/meta/dom/b.any.js.ini\nR testing/web-platform/meta/dom/a.html.ini\n")
        #expect(try sh("hg", ["log", "-r", "tip", "-T", "{node}"], in: world.central) == tip, "central is only read")
    }

    @Test("a report that is not JSON, not a wptreport or names no test is refused, naming the file (and where), and nothing is written")
    func badReports() throws {
        let (world, reports) = try Self.world()
        let broken = world.dir.sub("broken.json"), shapeless = world.dir.sub("shapeless.json"), notATest = world.dir.sub("not-a-test.json")
        try writeFile(broken, "{\"run_info\": {},\n \"results\": [\n  {\"test\": \"/dom/a.html\", \"status\": OK}]}\n")
        try writeFile(shapeless, #"{"run_info": {}, "results": [{"test": "/dom/a.html"}]}"#)
        try writeFile(notATest, Self.report(os: "linux", #"{"test": "dom/a.html", "status": "OK"}"#))
        let expectations = [
            broken: "\(broken): not a wptreport.json: not JSON: invalid value at line 3, column 37",
            shapeless: "\(shapeless): not a wptreport.json: missing .results[0].status",
            notATest: "\(notATest): not a wptreport.json: results[0].test \"dom/a.html\" is not a test id (/path/to/test.html)",
            world.dir.sub("missing.json"): "\(world.dir.sub("missing.json")): cannot read it:",
        ]
        for (file, message) in expectations {
            let result = try world.wptsyncResult(["metadata", "7", "--from", reports[0], file, "--bug", "1234", "--commit"])
            #expect(result.status != 0)
            #expect(result.stderrString.contains(message), "\(result.stderrString)")
        }
        #expect(!FileManager.default.fileExists(atPath: world.dir.sub("landing-clone")), "nothing was built")
    }

    @Test("several statuses in one configuration follow [downstream] unstable, as the worker's: disabled with the bug's URL, or [A, B]")
    func unstableResults() throws {
        for mode in ["disable", "intermittent"] {
            let (world, _) = try Self.world(extraConfig: """
                [downstream]
                bugzilla_url = "http://127.0.0.1:9/rest"
                taskcluster_url = "http://127.0.0.1:9"
                try_repository = "try"
                unstable = "\(mode)"
                enabled = false

                """)
            // Linux runs the test three times: the subtest fails twice and passes once; Windows passes it.
            var reports: [String] = []
            for (index, (os, status)) in [("linux", "FAIL"), ("linux", "PASS"), ("linux", "FAIL"), ("win", "PASS")].enumerated() {
                reports.append(world.dir.sub("run-\(index).json"))
                try writeFile(reports[index], Self.report(os: os, #"{"test": "/dom/c.html", "status": "OK", "subtests": [{"name": "t", "status": "\#(status)"}]}"#))
            }
            let printed = try world.wptsync(["metadata", "7", "--from"] + reports + ["--bug", "1234"])
            if mode == "disable" {
                let url = "https://bugzilla.mozilla.org/show_bug.cgi?id=1234"
                #expect(printed.contains("disabled as unstable: /dom/c.html | t where os == \"linux\" (statuses seen: FAIL, PASS)"), "\(printed)")
                #expect(printed.contains("+[c.html]\n+  [t]\n+    disabled:\n+      if os == \"linux\": \(url)\n"), "\(printed)")
                // Without a bug to name, it says what it would disable and does nothing.
                let refused = try world.wptsyncResult(["metadata", "7", "--from"] + reports)
                #expect(refused.status != 0 && refused.stderrString.contains(
                    "PR #7: several statuses in one configuration for /dom/c.html | t; [downstream] unstable = \"disable\" disables them"), "\(refused.stderrString)")
            } else {
                #expect(printed.contains("+[c.html]\n+  [t]\n+    expected:\n+      if os == \"linux\": [FAIL, PASS]\n"), "\(printed)")
                #expect(!printed.contains("disabled"), "\(printed)")
            }
        }
    }
}
