import Foundation
import LocalServices
import RepoOps
import Testing
import TestSupport

/// Issue 12, end to end: a signed webhook delivery reaches `wptsync serve`; the worker files the
/// PR's bug on the local Bugzilla in the component owning its files; the approval's delivery makes
/// one try push of exactly its tests to a real try repository; a redelivery makes nothing more.
@Suite("Webhooks to bugs and try pushes", .serialized)
struct WebhookDownstreamTests {
    /// mozilla-central with a moz.build owning css/css-grid, its wpt mirror holding the PR heads,
    /// a non-publishing try repository, a local Bugzilla and Taskcluster, and `wptsync serve`.
    final class World {
        let gecko: ExportWorld
        let master: Oid
        let bugzilla: LocalBugzilla
        let taskcluster: LocalTaskcluster
        let dir = TempDir("webhook-downstream")
        let tryRepo: String
        let serve: WebhookServeTests.World

        /// `extra` adds configuration once the mirror's master exists (the reconciliation's `[github]`).
        init(extra: (ExportWorld, TempDir) throws -> String = { _, _ in "" }) throws {
            gecko = try ExportWorld()
            try gecko.write("css/css-grid/grid.html", "<title>grid</title>\n")
            try gecko.write("dom/nodes/node.html", "<title>node</title>\n")
            try gecko.hgFixture.write("testing/web-platform/moz.build", """
                with Files("tests/css/css-grid/**"):
                    BUG_COMPONENT = ("Core", "Layout: Grid")

                """)
            master = try gecko.mirror(try gecko.commit("Initial"))
            try gecko.git.updateReference("refs/heads/master", to: master, expecting: .any)
            bugzilla = try LocalBugzilla(users: ["bot-key": "wptsync@mozilla.bugs"])
            taskcluster = try LocalTaskcluster()
            tryRepo = dir.sub("try")
            _ = try sh("hg", ["clone", "-q", "-U", gecko.hgFixture.root, tryRepo])
            try writeFile(tryRepo + "/.hg/hgrc", "[phases]\npublish = False\n")
            try writeFile(dir.sub("bugzilla-key"), "bot-key\n")
            let more = try extra(gecko, dir)
            serve = try WebhookServeTests.World(extraServe: """

                [[gecko]]
                name = "mozilla-central"
                path = "\(gecko.hgFixture.root)"
                role = "central"

                [wpt]
                path = "\(gecko.git.path)"

                [downstream]
                bugzilla_url = "\(bugzilla.restURL)"
                bugzilla_api_key_file = "\(dir.sub("bugzilla-key"))"
                taskcluster_url = "\(taskcluster.rootURL)"
                try_repository = "\(tryRepo)"
                clone = "\(dir.sub("try-clone"))"
                tasks = ["test-linux1804-64-qr/opt-web-platform-tests"]
                poll_seconds = 0.001
                \(more)
                """)
        }

        /// A PR adding `file` below css/css-grid, its head in the mirror, as a delivery's `pull_request`.
        func pullRequest(_ number: Int, adding file: String, updatedAt: String = "2026-11-20T10:00:00Z") throws -> (head: Oid, json: String) {
            let head = try gecko.upstreamCommit(onto: master, ["css/css-grid/\(file)": Array("<title>\(file)</title>\n".utf8)])
            return (head, WebhookBodies.pullRequest(number: number, head: head.hex, branch: "grid-\(number)", updatedAt: updatedAt))
        }

        func tryPushes() throws -> [String] {
            try sh("hg", ["log", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"], in: tryRepo).split(separator: "\n").map(String.init)
        }
    }

    @Test func aDeliveredPullRequestGetsItsBugThenOneTryPushOnceApproved() throws {
        let downstream = try World()
        let world = downstream.serve, bugzilla = downstream.bugzilla, tryPushes = downstream.tryPushes
        #expect(world.port != 0, "\(world.serve.output)")
        let (head, pr) = try downstream.pullRequest(7, adding: "grid-gap.html")

        #expect(try world.post("pull_request", WebhookBodies.event("opened", pr)).status == 202)
        _ = try world.wptsync(["process"])
        let events = try world.events()
        let bug = try #require(bugzilla.bugs.first, "\(events)")
        #expect(bug.fields["component"] == "Layout: Grid" && bug.fields["product"] == "Core")
        #expect(bug.fields["summary"] == "[wpt-sync] Sync PR 7 - Fix flexbox test")
        #expect(try tryPushes().isEmpty, "not approved yet")

        let approved = WebhookBodies.event("submitted", WebhookBodies.pullRequest(number: 7, head: head.hex, branch: "grid-7",
                                                                                  updatedAt: "2026-11-20T10:05:00Z"), extra: """
            , "review": {"user": {"login": "bob"}, "state": "approved", "commit_id": "\(head.hex)", "submitted_at": "2026-11-20T10:05:00Z"}
            """)
        let delivery = UUID().uuidString
        #expect(try world.post("pull_request_review", approved, delivery: delivery).status == 202)
        _ = try world.wptsync(["process"])
        let pushed = try tryPushes()
        #expect(pushed.count == 1)
        let config = try sh("hg", ["cat", "-r", pushed.first ?? "tip", "try_task_config.json"], in: downstream.tryRepo)
        #expect(config.contains("testing/web-platform/tests/css/css-grid/grid-gap.html") && !config.contains("dom/nodes"), "\(config)")

        // Redelivered (a new delivery of the same state, as a reconciliation would make): nothing more.
        #expect(try world.post("pull_request_review", approved).status == 202)
        _ = try world.wptsync(["process"])
        #expect(try tryPushes() == pushed)
        #expect(bugzilla.bugs.count == 1)
        let shown = try world.wptsync(["show", "downstream", "7"])
        #expect(shown.contains("bug \(bug.id) (Core :: Layout: Grid)"), "\(shown)")
        #expect(shown.contains("revision=\(pushed.first ?? "")") && shown.contains(": running"), "\(shown)")

        // A person asks for another run: one more try push, now.
        _ = try world.wptsync(["retry-try", "7"])
        #expect(try tryPushes().count == 2)
        let unknown = try? world.wptsync(["continue", "downstream", "8"])
        #expect(unknown == nil, "no sync for PR 8: an error")

        let settled = try world.events()
        #expect(settled.allSatisfy { $0["state"] as? String == "done" }, "\(settled)")
    }

    @Test func bugzillaDownHoldsBackNoOtherPullRequestAndTheFailedSyncsAreRetried() throws {
        let downstream = try World()
        let world = downstream.serve
        downstream.bugzilla.injectFault(.serverError(status: 503), count: 1_000, pathPrefix: "/rest/bug")
        for (number, file) in [(7, "a.html"), (9, "b.html")] {
            #expect(try world.post("pull_request", WebhookBodies.event("opened", try downstream.pullRequest(number, adding: file).json)).status == 202)
        }
        _ = try world.wptsync(["process"])
        let events = try world.events()
        #expect(events.count == 2 && events.allSatisfy { $0["state"] as? String == "done" }, "\(events)")
        #expect(downstream.bugzilla.bugs.isEmpty)
        #expect(try world.wptsync(["show", "downstream", "9"]).contains("last error:"))

        // Bugzilla is back: the next pass files both bugs, once each.
        downstream.bugzilla.clearFaults()
        _ = try world.wptsync(["process"])
        _ = try world.wptsync(["process"])
        #expect(downstream.bugzilla.bugs.map { $0.fields["url"] ?? "" }.sorted()
                == ["https://github.com/web-platform-tests/wpt/pull/7", "https://github.com/web-platform-tests/wpt/pull/9"])
        #expect(try !world.wptsync(["show", "downstream", "7"]).contains("last error:"))
    }
}
