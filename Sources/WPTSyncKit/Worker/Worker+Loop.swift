import Foundation
import Logging
import Store
import SyncCore

/// The worker's loop: drains until asked to stop, woken by hooks (the FIFO, PostgreSQL's NOTIFY)
/// or polling, and waits out a locked or unreachable store.
extension Worker {
    /// Drains repeatedly until the worker is asked to stop (`cancellation`), waiting when idle until
    /// a hook rings the store's wake-up FIFO or `pollSeconds` pass. A journal locked by another process past its
    /// busy timeout is waited for and tried again (logged, with a backoff doubling up to
    /// `maxBusyWaitSeconds`); other store errors end the run.
    public func run() throws(StoreError) {
        let cancellation = cancellation
        let listener = store.flatMap { store in
            WakeListener.listen(at: store.wakePath, journal: store.path, logger: logger) { cancellation.wake() }
        }
        defer { listener?.stop() }
        if let store, listener != nil { logger.info("listening for hooks' wake-ups", metadata: ["fifo": "\(store.wakePath)"]) }
        let notified = (journal as? PostgresJournal).flatMap { postgres in
            do { return try PostgresListener(postgres.parameters) { cancellation.wake() } } catch {
                logger.warning("cannot LISTEN for recorded events; polling only", metadata: ["reason": "\(error)"])
                return nil
            }
        }
        defer { notified?.stop() }
        var busyAttempts = 0
        while !cancellation.isStopRequested {
            do {
                let report = try drain()
                if busyAttempts > 0 { logger.notice("the journal is writable again") }
                busyAttempts = 0
                if report.processed.isEmpty && report.failed.isEmpty && cancellation.waitForWork(for: settings.pollSeconds) {
                    logger.debug("woken by a hook")
                }
            } catch .busy(let path) {
                busyAttempts += 1
                waitForBusyJournal(path, attempt: busyAttempts)
            } catch .unavailable(let store, let reason) {
                busyAttempts += 1
                let delay = Backoff(baseSeconds: min(settings.pollSeconds, 1), maxSeconds: Self.maxBusyWaitSeconds).delay(afterAttempt: busyAttempts)
                logger.warning("the store cannot be reached; trying again", metadata: [
                    "store": "\(store)", "reason": "\(reason)", "retry_in_seconds": "\(String(format: "%.2f", delay))"])
                cancellation.wait(for: delay)
            }
        }
    }

    /// The longest wait between two tries of a locked journal.
    public static let maxBusyWaitSeconds = 30.0

    func waitForBusyJournal(_ path: String, attempt: Int) {
        let delay = Backoff(baseSeconds: min(settings.pollSeconds, 1), maxSeconds: Self.maxBusyWaitSeconds).delay(afterAttempt: attempt)
        logger.warning("the journal is locked by another process; trying again", metadata: [
            "journal": "\(path)", "attempt": "\(attempt)", "retry_in_seconds": "\(String(format: "%.2f", delay))"])
        cancellation.wait(for: delay)
    }

    /// Runs `body`, waiting and trying again while the journal is locked, unless asked to stop.
    func retryingBusy(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        var attempt = 0
        while true {
            do { return try body() } catch .busy(let path) {
                attempt += 1
                if cancellation.isStopRequested { throw .busy(path: path) }
                waitForBusyJournal(path, attempt: attempt)
            }
        }
    }
}
