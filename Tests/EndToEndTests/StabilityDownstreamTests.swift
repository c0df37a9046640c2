import Foundation
import LocalServices
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 13, end to end: once a PR's first try results are in, one stability try push runs only its
/// tests, each task 10 times; the subtest that flips between PASS and FAIL on Linux opt is disabled
/// there with the bug's URL, the bug lists it and asks the component's triage contact; a redelivery,
/// or a crash before the push or the needinfo was recorded, adds nothing.
@Suite("Stability try runs", .serialized)
struct StabilityDownstreamTests {
    static let test = "css/css-grid/grid-gap.html"
    static let contact = "grid-triage@example.org"

    @Test func afterTheFirstResultsOneStabilityRunDisablesTheUnstableSubtestAndAsksTheTriageContact() throws {
        let downstream = try WebhookDownstreamTests.World { _, _ in
            "triage = { \"Core :: Layout: Grid\" = \"\(Self.contact)\" }\ntriage_default = \"wpt-triage@example.org\"\n"
        }
        let world = downstream.serve, taskcluster = downstream.taskcluster
        let (head, pr) = try downstream.pullRequest(7, adding: "grid-gap.html")
        let approval = WebhookBodies.event("submitted", WebhookBodies.pullRequest(number: 7, head: head.hex, branch: "grid-7",
                                                                                  updatedAt: "2026-11-20T10:05:00Z"), extra: """
            , "review": {"user": {"login": "bob"}, "state": "approved", "commit_id": "\(head.hex)", "submitted_at": "2026-11-20T10:05:00Z"}
            """)
        #expect(try world.post("pull_request", WebhookBodies.event("opened", pr)).status == 202)
        #expect(try world.post("pull_request_review", approval).status == 202)
        _ = try world.wptsync(["process"])
        let first = try #require(try downstream.tryPushes().first)
        let bug = try #require(downstream.bugzilla.bugs.first).id

        // The first run: the subtest passes everywhere. Its results make the stability push.
        func run(_ revision: String, linuxOpt: [String]) throws -> ScheduledTryPush {
            let config = try sh("hg", ["cat", "-r", revision, "try_task_config.json"], in: downstream.tryRepo)
            let scheduled = try taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(config.utf8))
            for label in Set(scheduled.wptTasks.map(\.label)) {
                let statuses = label.contains("linux1804-64-qr/opt") ? linuxOpt : ["PASS"]
                taskcluster.scriptResults(group: scheduled.decisionTaskID, label: label, runs: statuses.map {
                    [WPTTestResult(test: "/" + Self.test, status: "OK", subtests: [WPTSubtestResult(name: "gap", status: $0)])]
                })
            }
            taskcluster.resolveAll(group: scheduled.decisionTaskID)
            return scheduled
        }
        _ = try run(first, linuxOpt: ["PASS"])
        _ = try world.wptsync(["process"])
        let pushes = try downstream.tryPushes()
        #expect(pushes.count == 2, "one stability push")
        let stability = try #require(pushes.last)
        let config = try sh("hg", ["cat", "-r", stability, "try_task_config.json"], in: downstream.tryRepo)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let taskConfig = (parsed["parameters"] as? [String: Any])?["try_task_config"] as? [String: Any]
        #expect(taskConfig?["rebuild"] as? Int == 10, "\(config)")
        #expect(try LocalTaskcluster.testPaths(tryTaskConfig: Array(config.utf8)) == ["testing/web-platform/tests/" + Self.test])
        #expect(try sh("hg", ["log", "-r", stability, "-T", "{p1.node}"], in: downstream.tryRepo)
                == sh("hg", ["log", "-r", first, "-T", "{p1.node}"], in: downstream.tryRepo), "on the first run's base")

        // A crash right after the push, before it was recorded: the next pass finds try has it.
        let journal = try SQLiteJournal(path: world.dir.sub("state/wptsync.sqlite"))
        var crashed = try #require(try journal.downstreamSync(pullRequest: 7))
        crashed.tryPushes[1].status = .planned
        crashed.tryPushes[1].revision = nil
        crashed.commented.remove(DownstreamComment.tryPushed(revision: stability).key)
        try journal.saveDownstreamSync(crashed)
        #expect(try world.post("pull_request_review", approval).status == 202)
        _ = try world.wptsync(["process"])
        #expect(try downstream.tryPushes() == pushes)
        #expect(try journal.downstreamSync(pullRequest: 7)?.tryPushes.map(\.revision) == [first, stability])

        // Ten runs per task: on Linux opt the subtest passes 7 times and fails 3 times.
        let scheduled = try run(stability, linuxOpt: ["PASS", "FAIL", "PASS", "PASS", "FAIL", "PASS", "PASS", "FAIL", "PASS", "PASS"])
        #expect(scheduled.wptTasks.count == 30, "10 of each of the 3 platforms' tasks")
        _ = try world.wptsync(["process"])
        let url = "https://bugzilla.mozilla.org/show_bug.cgi?id=\(bug)"
        let shown = try world.wptsync(["show", "downstream", "7"])
        #expect(shown.contains("try push (stability, tests, each task 10 times)") && shown.contains(": complete"), "\(shown)")
        #expect(shown.contains("""
            +[grid-gap.html]
                +  [gap]
                +    disabled:
                +      if not debug and (os == "linux"): \(url)
            """), "\(shown)")
        let comments = downstream.bugzilla.bug(bug)?.comments ?? []
        let told = comments.filter { $0.contains("found unstable results") }
        #expect(told.count == 1 && told.first?.contains("- /\(Self.test) | gap: disabled where not debug and (os == \"linux\")"
                                                           + " (statuses seen: PASS, FAIL)") == true, "\(comments)")
        #expect(downstream.bugzilla.bug(bug)?.flags == ["needinfo?(\(Self.contact))"])

        // Delivered again, and after a crash before the needinfo was recorded: nothing more.
        var asked = try #require(try journal.downstreamSync(pullRequest: 7))
        asked.commented.remove(DownstreamGoal.needinfoKey(revision: stability))
        try journal.saveDownstreamSync(asked)
        #expect(try world.post("pull_request_review", approval).status == 202)
        _ = try world.wptsync(["process"])
        #expect(try downstream.tryPushes() == pushes)
        #expect(downstream.bugzilla.bug(bug)?.comments == comments)
        #expect(downstream.bugzilla.bug(bug)?.flags == ["needinfo?(\(Self.contact))"])
        #expect(try journal.downstreamSync(pullRequest: 7)?.commented.contains(DownstreamGoal.needinfoKey(revision: stability)) == true)

        // A new push to the PR: its first run starts from the metadata so far without what was disabled,
        // and passing everywhere, leaves none; its own stability run decides again.
        let moved = try downstream.gecko.upstreamCommit(onto: head, [Self.test: Array("<title>grid gap v2</title>\n".utf8)])
        try downstream.gecko.git.updateReference("refs/pull/7/head", to: moved, expecting: .any)
        let review = WebhookBodies.event("submitted", WebhookBodies.pullRequest(number: 7, head: moved.hex, branch: "grid-7",
                                                                                updatedAt: "2026-11-20T11:05:00Z"), extra: """
            , "review": {"user": {"login": "bob"}, "state": "approved", "commit_id": "\(moved.hex)", "submitted_at": "2026-11-20T11:05:00Z"}
            """)
        #expect(try world.post("pull_request_review", review).status == 202)
        _ = try world.wptsync(["process"])
        let third = try #require(try downstream.tryPushes().last)
        #expect(try downstream.tryPushes().count == 3)
        _ = try run(third, linuxOpt: ["PASS"])
        _ = try world.wptsync(["process"])
        let again = try #require(try journal.downstreamSync(pullRequest: 7))
        #expect(again.metadata?.revision == third && again.metadata?.files == [:] && again.metadata?.disabled == [], "\(String(describing: again.metadata))")
        #expect(again.tryPushes.map(\.reason) == [.changes, .stability, .changes, .stability] && again.tryPushes.last?.head == moved.hex)
    }
}
