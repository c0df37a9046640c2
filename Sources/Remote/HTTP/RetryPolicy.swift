import CCurl
import Foundation

/// A transport-level failure: no HTTP response was received.
public struct TransportFailure: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case timeout, network }

    public var kind: Kind
    /// curl's message.
    public var message: String
    /// Whether any of the request had been sent, so the server may have acted on it.
    public var requestSent: Bool

    public init(kind: Kind, message: String, requestSent: Bool) {
        self.kind = kind
        self.message = message
        self.requestSent = requestSent
    }
}

/// What to do after one attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Hand the response to the caller (which turns error statuses into `RemoteError.httpStatus`).
    case accept
    /// Sleep this long, then send again.
    case retry(after: Duration)
    /// Stop with this error.
    case fail(RemoteError)
}

/// When and how long to wait before sending a request again. A pure value: `decide` depends only
/// on its arguments, so the current time and the random draw for jitter are passed in.
///
/// - Server errors (5xx), timeouts and network errors are retried with exponential backoff and
///   jitter, at least as long as any `retry-after`.
/// - Rate limits (403/429 with `retry-after`, or with `x-ratelimit-remaining: 0` and
///   `x-ratelimit-reset`, and plain 429) wait until the limit lifts, whatever the method: a refused
///   request had no effect. A wait longer than `maxRateLimitWait` fails with `.rateLimited`.
/// - POST and PATCH are not retried once the server may have acted on them (sent, then a network
///   error, timeout or 5xx): the decision is `.fail(.outcomeUnknown(…))`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first one included.
    public var maxAttempts: Int
    /// Backoff before the second attempt; it doubles for each later one.
    public var baseDelay: Duration
    /// Cap on the backoff (not on rate-limit waits).
    public var maxDelay: Duration
    /// Longest wait accepted for a rate limit to lift.
    public var maxRateLimitWait: Duration

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60),
        maxRateLimitWait: Duration = .seconds(65 * 60)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRateLimitWait = maxRateLimitWait
    }

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// Decides what follows attempt number `attempt` (1-based) of `request`.
    /// - Parameter randomUnit: a random number in `0..<1` that spreads the backoff over
    ///   `[delay/2, delay)`.
    public func decide(
        _ request: HTTPRequest, outcome: Result<HTTPResponse, TransportFailure>,
        attempt: Int, now: Date, randomUnit: Double
    ) -> RetryDecision {
        let (method, url) = (request.method, Redaction.url(request.url))
        let canRetry = attempt < maxAttempts
        let backoff = backoff(attempt: attempt, randomUnit: randomUnit)
        switch outcome {
        case .failure(let failure):
            let error: RemoteError = switch failure.kind {
            case .timeout: .timeout(method: method, url: url, limit: request.timeout)
            case .network: .network(method: method, url: url, message: failure.message)
            }
            if failure.requestSent && !method.isIdempotent { return .fail(.outcomeUnknown(underlying: error)) }
            return canRetry ? .retry(after: backoff) : .fail(error)

        case .success(let response):
            if let wait = rateLimitWait(response, now: now, backoff: backoff) {
                let until = now.addingTimeInterval(wait.seconds)
                return canRetry && wait <= maxRateLimitWait ? .retry(after: wait) : .fail(.rateLimited(until: until))
            }
            guard response.status >= 500 else { return .accept }
            if !method.isIdempotent {
                let error = RemoteError.httpStatus(
                    method: method, url: url, status: response.status,
                    bodyExcerpt: Redaction.excerpt(response.body, removing: request.secrets))
                return .fail(.outcomeUnknown(underlying: error))
            }
            let serverHint = retryAfter(response.headers, now: now) ?? .zero
            return canRetry ? .retry(after: max(backoff, serverHint)) : .accept
        }
    }

    /// `baseDelay * 2^(attempt-1)`, capped at `maxDelay`, then scaled into `[1/2, 1)` of itself.
    func backoff(attempt: Int, randomUnit: Double) -> Duration {
        let exponential = baseDelay * Double(1 << min(max(attempt - 1, 0), 30))
        let capped = min(exponential, maxDelay)
        return capped * (0.5 + 0.5 * min(max(randomUnit, 0), 1))
    }

    /// How long a rate-limited response asks to wait, or nil when it is not a rate limit.
    func rateLimitWait(_ response: HTTPResponse, now: Date, backoff: Duration) -> Duration? {
        guard response.status == 403 || response.status == 429 else { return nil }
        if let hint = retryAfter(response.headers, now: now) { return hint }
        if response.headers["x-ratelimit-remaining"] == "0",
           let reset = response.headers["x-ratelimit-reset"].flatMap(Double.init) {
            // The reset time has whole-second precision: one more second avoids waking just before it.
            let seconds = max(0, reset - now.timeIntervalSince1970) + 1
            return .milliseconds(Int64(seconds * 1000))
        }
        return response.status == 429 ? backoff : nil
    }

    /// The `retry-after` header as a duration from `now`: delta seconds or an HTTP-date.
    func retryAfter(_ headers: HTTPHeaders, now: Date) -> Duration? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        if let seconds = Int64(value) { return .seconds(max(0, seconds)) }
        let epoch = curl_getdate(value, nil)
        guard epoch >= 0 else { return nil }
        let seconds = max(0, Double(epoch) - now.timeIntervalSince1970)
        return .milliseconds(Int64(seconds * 1000))
    }
}

/// Waits between attempts. Tests inject one that records instead of sleeping.
public protocol Sleeper: Sendable {
    func sleep(for duration: Duration)
}

/// Blocks the calling thread.
public struct ThreadSleeper: Sleeper {
    public init() {}
    public func sleep(for duration: Duration) {
        Thread.sleep(forTimeInterval: duration.seconds)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
