import HookIntake
import Logging
import Remote
import Store
import SyncCore

extension Application {
    /// The worker of `config`, built once its store can be reached: while a PostgreSQL server is
    /// down or stops answering at start, waits and tries again (as a running worker does) until
    /// `cancellation` stops it (then nil). Any other error, such as a refused password, is thrown.
    public static func startWorker(config: Config, logger: Logger, cancellation: Cancellation) throws -> Worker? {
        var attempt = 0
        while !cancellation.isStopRequested {
            do {
                return try Application(config: config).worker(logger: logger, cancellation: cancellation)
            } catch let error as StoreError {
                guard let postgres = config.store.postgres, Self.isOutage(error, postgres) else { throw error }
                attempt += 1
                let delay = Backoff(baseSeconds: min(config.worker.pollSeconds, 1), maxSeconds: Worker.maxBusyWaitSeconds).delay(afterAttempt: attempt)
                logger.warning("the store cannot be reached at start; waiting for it", metadata: [
                    "store": "\(postgres.url)", "reason": "\(error)", "retry_in_seconds": "\(delay)"])
                _ = cancellation.wait(for: delay)
            }
        }
        return nil
    }

    private static func isOutage(_ error: StoreError, _ postgres: PostgresStoreSettings) -> Bool {
        switch error {
        case .unavailable: true
        case .open: (try? JournalOpening.parameters(postgres, role: .worker)).map(PostgresJournal.isDown) ?? false
        default: false
        }
    }
}
