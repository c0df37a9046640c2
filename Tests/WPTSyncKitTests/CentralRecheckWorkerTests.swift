import Foundation
import HookIntake
import Logging
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 11: a worker's periodic re-check reads mozilla-central's changelog index, so a central push
/// between two passes costs an index read: the command server the worker keeps for central is not
/// asked, and no other Mercurial starts.
@Suite("Re-check against mozilla-central in a worker", .serialized)
struct CentralRecheckWorkerTests {
    @Test func passesAfterCentralMovedReadItsIndexAndFindALandedChange() throws {
        let u = try UpstreamWorld()
        let landed = try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 1 - Add a. r=x")
        let running = try InProcessWorker(u.world)
        let (config, app, worker, pushes) = (running.config, running.app, running.worker, running.pushes)
        #expect(try worker.drain().processed.count == 1)
        func inCentral() throws -> Bool? { try app.journal.syncs(bug: 1, status: .open).first?.changesets.first?.inCentral }
        #expect(try inCentral() == false)

        _ = try pushes.run()
        let central = try pushes.servers.server(for: try #require(config.gecko.first { $0.role == .central }))
        let server = central.serverProcessID
        // Central moves twice without its hook (the events are lost): first a Gecko-only changeset, then the wpt change.
        let unhooked = ["--config", "hooks.changegroup.wptsync="]
        try u.world.gecko.hg(["update", "-q", "-r", "\(landed)^"])
        let geckoOnly = try u.world.commitInGecko(["dom/b.cpp": "b\n"], message: "Bug 2 - Gecko only. r=x")
        try u.world.gecko.hg(["push", "-q", "-f", "-r", geckoOnly, u.world.central] + unhooked)
        let asked = central.commandsRun
        _ = try pushes.run()
        #expect(central.commandsRun == asked, "central moved: read from its changelog index, not asked")
        #expect(try inCentral() == false)
        try u.world.gecko.hg(["push", "-q", "-f", "-r", landed, u.world.central] + unhooked)
        _ = try pushes.run()
        #expect(try inCentral() == true)
        #expect(try pushes.servers.server(for: try #require(config.gecko.first { $0.role == .central })).serverProcessID == server,
                "no pass started another command server")
    }
}
