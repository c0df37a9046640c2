import Foundation
import HookIntake
import Logging
import SyncCore
import TestSupport
@testable import WPTSyncKit

/// A world's configuration run by an in-process worker with every handler, as `wptsync worker`
/// builds it, for tests that look inside its long-lived pieces (the push handler's hg servers).
struct InProcessWorker {
    let config: Config
    let app: Application
    let worker: Worker
    let pushes: HgPushHandler

    init(_ world: SyncWorld) throws {
        config = try ConfigLoader.load(file: world.config)
        let environment = ProcessInfo.processInfo.environment.merging(world.environment) { $1 }
        app = try Application(config: config, environment: environment)
        let handlers = try Handlers.make(config: config, store: app.journal, events: app.events, redactor: app.redactor,
                                         environment: environment)
        worker = Worker(journal: app.events, settings: config.worker, spool: nil, handlers: handlers.byKind,
                        logger: Logger(label: "test"), redactor: app.redactor)
        guard let pushes = handlers.byKind[.hgPush] as? HgPushHandler else { throw NoPushHandler() }
        self.pushes = pushes
    }

    struct NoPushHandler: Error, CustomStringConvertible {
        var description: String { "the configuration gives the worker no handler for Mercurial pushes" }
    }
}
