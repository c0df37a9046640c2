import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// `wptsync status` through the real command on a real journal: what needs a person, the command
/// that moves it on, the JSON for monitoring, and the exit status.
@Suite("wptsync status", .serialized)
struct StatusTests {
    func json(_ output: ProcessOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdoutString.utf8)) as? [String: Any])
    }

    func items(_ object: [String: Any]) -> [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }

    @Test func withoutAJournalItSaysSoAndCreatesNone() throws {
        let world = try SyncWorld()
        try? FileManager.default.removeItem(atPath: world.store)
        let result = try world.wptsyncResult(["status"])
        #expect(result.status == 1 && result.stderrString.contains("there is no event journal at \(world.store)"), "\(result.stderrString)")
        #expect(!FileManager.default.fileExists(atPath: world.store))
    }

    @Test func aFailingEventAStuckSyncAndAPauseEachNameTheirCommand() throws {
        let u = try UpstreamWorld()
        u.world.environment["WPTSYNC_TEST_GITHUB_TOKEN"] = "a-revoked-token"
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1234 - Add a. r=alice")
        try u.process()

        // Failing for a moment only: worth knowing, nobody is paged.
        let calm = try u.world.wptsyncResult(["status"])
        #expect(calm.status == 0, "\(calm.stdoutString)\(calm.stderrString)")
        #expect(calm.stdoutString.contains("nothing needs a person") && calm.stdoutString.contains("event #1 autoland failing (1 attempt(s)), retried automatically"),
                "\(calm.stdoutString)")
        #expect(calm.stdoutString.contains("periodic task upstream-recheck (every 0.001 s) last succeeded "), "\(calm.stdoutString)")

        let journal = try Data(contentsOf: URL(fileURLWithPath: u.world.store))
        let paged = try u.world.wptsyncResult(["status", "--json", "--event-hours", "0"])
        #expect(paged.status == 1)
        let object = try json(paged)
        #expect(object["needs_person"] as? Bool == true && object["paused"] as? Bool == false)
        let event = try #require(items(object).first { $0["kind"] as? String == "event" })
        #expect(event["id"] as? String == "1" && event["needs_person"] as? Bool == true)
        #expect(event["command"] as? String == "wptsync retry 1 (once the cause is fixed), or wptsync events drop 1 --reason …")
        #expect((event["summary"] as? String)?.contains("HTTP 401") == true, "\(event)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: u.world.store)) == journal, "status changed the journal")

        // Fixed: the event is done and the sync open with its PR; open "too long" with a threshold of 0.
        u.world.environment["WPTSYNC_TEST_GITHUB_TOKEN"] = "test-token"
        try u.world.wptsync(["retry", "1"])
        try u.process()
        #expect(try u.world.wptsyncResult(["status"]).status == 0)
        let stuck = try u.world.wptsyncResult(["status", "--sync-hours", "0"])
        #expect(stuck.status == 1)
        #expect(stuck.stdoutString.contains("1 thing(s) need a person\nnot paused\nno event pending\nneeds a person:\n  sync 1 gecko/1234 open PR #1"), "\(stuck.stdoutString)")
        #expect(stuck.stdoutString.contains("    → wptsync retry --sync 1\n"), "\(stuck.stdoutString)")

        // A pause: shown at once, paging only once older than the threshold; waiting events wait for it.
        try u.world.wptsync(["pause", "--reason", "GitHub is down", "--by", "alice"])
        try u.world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 1235 - Add b. r=alice")
        let paused = try u.world.wptsyncResult(["status", "--event-hours", "0"])
        #expect(paused.status == 0 && paused.stdoutString.contains("  paused by alice: GitHub is down since "), "\(paused.stdoutString)")
        let forgotten = try json(u.world.wptsyncResult(["status", "--json", "--pause-hours", "0"]))
        #expect(items(forgotten).filter { $0["needs_person"] as? Bool == true }.map { $0["command"] as? String } == ["wptsync resume (once the reason is gone)"])
        #expect(forgotten["oldest_pending_age_seconds"] is Int)
    }

    @Test func thresholdsComeFromTheStatusSectionAndBadOnesAreRefused() throws {
        let world = try SyncWorld(extraConfig: "[status]\nevent_hours = 0\n")
        try world.pushToMirror(file: "a.html", contents: "a\n")
        #expect(try world.wptsyncResult(["status"]).status == 1)
        #expect(try world.wptsyncResult(["status", "--event-hours", "2.5"]).status == 0)
        let bad = try world.wptsyncResult(["status", "--event-hours=-1"])
        #expect(bad.status != 0 && bad.stderrString.contains("--event-hours must be from 0 to 8760 hours, got -1.0"), "\(bad.stderrString)")
    }
}
