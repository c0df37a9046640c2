import Foundation

/// Ends long waits early. A worker asked to stop (SIGINT, SIGTERM), or one that lost the lease on
/// the event in hand, cancels; every wait that goes through it (`sleep(for:)`, `wait(for:)`)
/// returns at once, and an `HTTPClient` using it sends no further request.
///
/// Stopping is for good; a lost lease concerns one event and is cleared by `takeLostLease()`.
public final class Cancellation: Sleeper, @unchecked Sendable {
    /// Why work is being cancelled.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The process was asked to stop.
        case stopRequested
        /// Another worker holds the event now (or it was settled by someone else).
        case leaseLost

        public var description: String {
            switch self {
            case .stopRequested: "the worker was asked to stop"
            case .leaseLost: "the worker lost its lease on the event"
            }
        }
    }

    private let condition = NSCondition()
    private var stopped = false
    private var leaseLost = false
    private var woken = false

    public init() {}

    /// Why work is cancelled now, if it is; stopping wins over a lost lease.
    public var reason: Reason? {
        condition.withLock { stopped ? .stopRequested : leaseLost ? .leaseLost : nil }
    }

    /// Whether the process was asked to stop.
    public var isStopRequested: Bool { condition.withLock { stopped } }

    /// Cancels for `reason` and wakes every waiter.
    public func cancel(_ reason: Reason) {
        condition.withLock {
            switch reason {
            case .stopRequested: stopped = true
            case .leaseLost: leaseLost = true
            }
            condition.broadcast()
        }
    }

    /// Whether the lease on the event in hand was lost; clears it, since it concerns that event only.
    public func takeLostLease() -> Bool {
        condition.withLock {
            defer { leaseLost = false }
            return leaseLost
        }
    }

    /// Waits `seconds`, or less when cancelled; returns false when cancelled.
    @discardableResult
    public func wait(for seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        return condition.withLock {
            while !stopped && !leaseLost {
                if !condition.wait(until: deadline) { return !stopped && !leaseLost }
            }
            return false
        }
    }

    /// New work arrived: ends the current or next `waitForWork(for:)` early. Cancels nothing.
    public func wake() {
        condition.withLock {
            woken = true
            condition.broadcast()
        }
    }

    /// Waits `seconds`, or less when woken or cancelled; returns true when woken, and uses the
    /// wake-up up, so a wake-up that came while the caller was busy ends only the next wait.
    public func waitForWork(for seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        return condition.withLock {
            while !woken && !stopped && !leaseLost {
                if !condition.wait(until: deadline) { break }
            }
            defer { woken = false }
            return woken
        }
    }

    public func sleep(for duration: Duration) { wait(for: duration.seconds) }

    /// Throws `RemoteError.cancelled` when cancelled: called before each request.
    public func check(before method: HTTPMethod, _ url: String) throws(RemoteError) {
        if let reason { throw .cancelled(method: method, url: Redaction.url(url), reason: reason.description) }
    }
}
