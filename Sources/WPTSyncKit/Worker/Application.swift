import Foundation
import HookIntake
import Logging
import Store
import SyncCore

/// The pieces a long-running command needs, built from the configuration.
public struct Application {
    public let config: Config
    public let journal: SQLiteJournal

    /// Opens the journal named by the configuration.
    public init(config: Config) throws(StoreError) {
        self.config = config
        journal = try SQLiteJournal(path: config.store.path)
    }

    /// A worker with the handlers for every kind of event.
    public func worker(logger: Logger = Logger(label: "wptsync.worker")) -> Worker {
        Worker(journal: journal, settings: config.worker, spool: Spool(path: config.store.spool),
               handlers: Handlers.all(config: config, logger: logger), logger: logger)
    }
}
