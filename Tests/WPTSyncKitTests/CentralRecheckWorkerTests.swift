import Foundation
import HookIntake
import Logging
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 11: a worker's periodic re-check asks mozilla-central through the command server the worker
/// keeps for it, so a central push between two passes costs a query, not a Mercurial start.
@Suite("Re-check against mozilla-central in a worker", .serialized)
struct CentralRecheckWorkerTests {
    @Test func passesAfterCentralMovedReuseCentralsServerAndFindALandedChange() throws {
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
        var asked = central.commandsRun
        _ = try pushes.run()
        #expect(central.commandsRun > asked, "central moved: asked")
        #expect(try inCentral() == false)
        try u.world.gecko.hg(["push", "-q", "-f", "-r", landed, u.world.central] + unhooked)
        asked = central.commandsRun
        _ = try pushes.run()
        #expect(central.commandsRun > asked)
        #expect(try inCentral() == true)
        #expect(try pushes.servers.server(for: try #require(config.gecko.first { $0.role == .central })).serverProcessID == server,
                "every pass asked the same command server")
    }
}
