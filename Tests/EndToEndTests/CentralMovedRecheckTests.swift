import Foundation
import Testing
import TestSupport

/// Issue 11: when only a Mercurial central moved since a pass that had nothing to watch, the
/// re-check asks central's changelog index what it gained and looks those nodes up, without
/// reading every open sync; a waiting changeset that arrives is still found.
@Suite("Re-check after central alone moved", .serialized)
struct CentralMovedRecheckTests {
    func sqlite(_ world: SyncWorld, _ statement: String) throws -> String {
        try sh("sqlite3", [world.store, statement]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aGeckoOnlyCentralPushReadsNoSyncRecordAndTheArrivalIsFoundLater() throws {
        let u = try UpstreamWorld()
        let landed = try u.world.landInGecko(["testing/web-platform/tests/moved.html": "m\n"], message: "Bug 33 - Moved. r=x")
        try u.process()
        try u.process()
        #expect(u.github.pullRequests.count == 1)

        // Central moves by a Gecko-only changeset, without its hook.
        let unhooked = ["--config", "hooks.changegroup.wptsync="]
        try u.world.gecko.hg(["update", "-q", "-r", "\(landed)^"])
        let geckoOnly = try u.world.commitInGecko(["dom/moved.cpp": "m\n"], message: "Bug 34 - Gecko only. r=x")
        try u.world.gecko.hg(["push", "-q", "-f", "-r", geckoOnly, u.world.central] + unhooked)

        // The sync's record is made unreadable while the syncs' generation stays: a pass that read it would fail.
        let generation = try sqlite(u.world, "SELECT generation FROM table_generations WHERE name = 'upstream_syncs'")
        let record = try sqlite(u.world, "SELECT quote(record) FROM upstream_syncs")
        func setRecord(_ quoted: String) throws {
            _ = try sqlite(u.world, "UPDATE upstream_syncs SET record = \(quoted); "
                           + "UPDATE table_generations SET generation = \(generation) WHERE name = 'upstream_syncs'")
        }
        try setRecord("'damaged'")
        let pass = try u.world.wptsyncResult(["process"])
        let said = pass.stdoutString + pass.stderrString
        #expect(pass.status == 0 && !said.contains("periodic task failed"), "\(said)")
        try setRecord(record)

        // Then the wpt change reaches central without its hook: found, and the PR merges once checked.
        try u.world.gecko.hg(["push", "-q", "-f", "-r", landed, u.world.central] + unhooked)
        let pr = try #require(u.github.pullRequests.first)
        u.github.setCheckRun(sha: try #require(pr.headSHA), name: "wpt-firefox", .success)
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
    }
}
