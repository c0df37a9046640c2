/// Exponential backoff between attempts of a failed event: `base * 2^(attempt-1)`, capped at `max`.
public struct Backoff: Sendable, Equatable {
    public var baseSeconds: Double
    public var maxSeconds: Double

    public init(baseSeconds: Double = 30, maxSeconds: Double = 3600) {
        self.baseSeconds = baseSeconds; self.maxSeconds = maxSeconds
    }

    /// The delay before the next attempt after `attempt` attempts have failed (1 for the first failure).
    /// `jitter` in 0...1 spreads retries of many events: the delay is scaled by `1 - jitter/2`.
    public func delay(afterAttempt attempt: Int, jitter: Double = 0) -> Double {
        let exponent = min(max(attempt - 1, 0), 30)
        let raw = min(baseSeconds * Double(1 << exponent), maxSeconds)
        return raw * (1 - min(max(jitter, 0), 1) / 2)
    }
}
