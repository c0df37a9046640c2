import Foundation
import HookIntake
import Logging
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 11: the worker moves the export's manifest cursor to each push's tip in the command server
/// the exporter reads through, so a wpt change pushed after many Gecko-only pushes is exported
/// without walking them.
@Suite("Export cursor advanced per push", .serialized)
struct ExportCursorWorkerTests {
    /// The `wptsync-export` extension's counts in `hg`'s command server.
    @Test func aWptChangeAfterGeckoOnlyPushesIsExportedWithoutWalkingThem() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1 - Add a. r=x")
        for k in 0..<4 { try u.world.landInGecko(["dom/f\(k).cpp": "\(k)\n"], message: "Bug 2 - Gecko only \(k). r=x") }
        let running = try InProcessWorker(u.world)
        let (config, worker, pushes) = (running.config, running.worker, running.pushes)
        let report = try worker.drain()
        #expect(report.processed.count == 5 && report.failed.isEmpty)
        let autoland = try pushes.servers.server(for: try #require(config.geckoRepository(named: "autoland")))
        let before = try exportCursorStats(autoland)
        #expect(before["advances"] == 5, "\(before)")

        try u.world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 3 - Add b. r=x")
        #expect(try worker.drain().processed.count == 1)
        let after = try exportCursorStats(autoland)
        // The parent's manifest is where the cursor already is: only b's own manifest delta is applied.
        #expect(after["steps"].map { $0 - (before["steps"] ?? 0) } == 1, "\(before) then \(after)")
        #expect(after["cold"] == before["cold"] && after["fallbacks"] == 0, "\(before) then \(after)")
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/1", "gecko/3"])
        #expect(try u.git(["show", "gecko/3:b.html"]) == "b\n")
    }
}
