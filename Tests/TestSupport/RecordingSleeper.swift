import Foundation
import Remote

/// A `Sleeper` that records the requested delays and returns at once.
public final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    public init() {}

    public var delays: [Duration] { lock.withLock { recorded } }

    public func sleep(for duration: Duration) {
        lock.withLock { recorded.append(duration) }
    }
}
