import Foundation
import Remote
import Testing
import TestSupport

/// Issue 9: a worker that stops or loses its lease ends its waits at once and sends nothing more.
@Suite("Cancelling an HTTP client")
struct CancellationTests {
    let server: LoopbackHTTPServer
    init() throws { server = try LoopbackHTTPServer() }

    @Test func aRateLimitWaitEndsWhenCancelledAndNoFurtherRequestIsSent() throws {
        let cancellation = Cancellation()
        let reset = Int(Date().timeIntervalSince1970) + 3600
        server.enqueue(.respond(status: 403, headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "\(reset)")]),
                       .respond(status: 200, body: "after reset"))
        let client = HTTPClient.cancellable(by: cancellation)
        Thread.detachNewThread {
            _ = waitUntil(limit: 30) { server.requests.count == 1 }
            cancellation.cancel(.stopRequested)
        }
        #expect {
            try client.send(HTTPRequest(.get, server.baseURL + "/repos/o/r/pulls"))
        } throws: { error in
            "\(error)".hasSuffix("/repos/o/r/pulls not sent: the worker was asked to stop")
        }
        #expect(server.requests.count == 1)
    }

    @Test func aLostLeaseConcernsOneEventButStoppingIsForGood() {
        let cancellation = Cancellation()
        cancellation.cancel(.leaseLost)
        #expect(cancellation.reason == .leaseLost)
        #expect(!cancellation.wait(for: 3600))
        #expect(cancellation.takeLostLease() && cancellation.reason == nil && !cancellation.takeLostLease())
        cancellation.cancel(.stopRequested)
        #expect(!cancellation.takeLostLease() && cancellation.reason == .stopRequested && cancellation.isStopRequested)
        #expect(!cancellation.wait(for: 3600))
    }
}
