import Foundation
import Remote
import Testing

@Suite("RetryPolicy decisions")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(5))
    let get = HTTPRequest(.get, "https://api.github.com/repos/o/r")
    let patch = HTTPRequest(.patch, "https://api.github.com/repos/o/r/pulls/1")

    func decide(
        _ request: HTTPRequest, _ outcome: Result<HTTPResponse, TransportFailure>, attempt: Int = 1, random: Double = 0
    ) -> RetryDecision {
        policy.decide(request, outcome: outcome, attempt: attempt, now: fixedNow, randomUnit: random)
    }

    func status(_ code: Int, _ headers: HTTPHeaders = [:]) -> Result<HTTPResponse, TransportFailure> {
        .success(HTTPResponse(status: code, headers: headers))
    }

    @Test func successAndClientErrorsAreAccepted() {
        #expect(decide(get, status(200)) == .accept)
        #expect(decide(get, status(404)) == .accept)
        #expect(decide(get, status(403)) == .accept)  // forbidden, not a rate limit
        #expect(decide(patch, status(422)) == .accept)
    }

    @Test func backoffDoublesIsCappedAndJittered() {
        #expect(decide(get, status(500), attempt: 1, random: 0) == .retry(after: .milliseconds(500)))
        #expect(decide(get, status(500), attempt: 2, random: 0) == .retry(after: .seconds(1)))
        #expect(decide(get, status(500), attempt: 3, random: 0.5) == .retry(after: .seconds(3)))
        let capped = RetryPolicy(maxAttempts: 20, baseDelay: .seconds(1), maxDelay: .seconds(5))
        #expect(capped.decide(get, outcome: status(503), attempt: 10, now: fixedNow, randomUnit: 0.999)
            == .retry(after: .seconds(5) * 0.9995))
    }

    @Test func lastAttemptHandsTheServerErrorBack() {
        #expect(decide(get, status(500), attempt: 4) == .accept)
    }

    @Test func serverRetryAfterLengthensBackoff() {
        #expect(decide(get, status(503, ["Retry-After": "10"])) == .retry(after: .seconds(10)))
    }

    @Test func retryAfterAsHTTPDate() {
        // fixedNow is 2023-11-14T22:13:20Z.
        let headers: HTTPHeaders = ["retry-after": "Tue, 14 Nov 2023 22:14:00 GMT"]
        #expect(decide(patch, status(429, headers)) == .retry(after: .seconds(40)))
    }

    @Test func timeoutsAndNetworkErrorsOfIdempotentRequestsAreRetried() {
        let timeout = TransportFailure(kind: .timeout, message: "Operation timed out", requestSent: true)
        #expect(decide(get, .failure(timeout)) == .retry(after: .milliseconds(500)))
        let reset = TransportFailure(kind: .network, message: "Connection reset", requestSent: true)
        #expect(decide(HTTPRequest(.put, "https://h/merge"), .failure(reset)) == .retry(after: .milliseconds(500)))
        #expect(decide(get, .failure(reset), attempt: 4)
            == .fail(.network(method: .get, url: get.url, message: "Connection reset")))
    }

    @Test func nonIdempotentRequestsAreNotRetriedOnceSent() {
        let reset = TransportFailure(kind: .network, message: "Connection reset", requestSent: true)
        #expect(decide(patch, .failure(reset))
            == .fail(.outcomeUnknown(underlying: .network(method: .patch, url: patch.url, message: "Connection reset"))))
        guard case .fail(.outcomeUnknown(let underlying)) = decide(patch, status(502)) else {
            Issue.record("expected an unknown outcome")
            return
        }
        #expect(underlying.httpStatus == 502)
    }

    @Test func nonIdempotentRequestsAreRetriedWhenNothingWasSent() {
        let refused = TransportFailure(kind: .network, message: "Connection refused", requestSent: false)
        #expect(decide(patch, .failure(refused)) == .retry(after: .milliseconds(500)))
    }

    @Test func primaryRateLimitWaitsUntilResetForAnyMethod() {
        let reset = Int(fixedNow.timeIntervalSince1970) + 120
        let headers: HTTPHeaders = ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(reset)"]
        #expect(decide(patch, status(403, headers)) == .retry(after: .seconds(121)))
        #expect(decide(get, status(429, headers), attempt: 4)
            == .fail(.rateLimited(until: fixedNow.addingTimeInterval(121))))
    }

    @Test func secondaryRateLimitUsesRetryAfter() {
        #expect(decide(patch, status(403, ["Retry-After": "60"])) == .retry(after: .seconds(60)))
    }

    @Test func plainTooManyRequestsBacksOff() {
        #expect(decide(get, status(429)) == .retry(after: .milliseconds(500)))
    }
}
