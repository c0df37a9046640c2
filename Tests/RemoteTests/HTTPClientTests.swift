import Foundation
import Remote
import TestSupport
import Testing

private struct Pull: Codable, Equatable {
    var number: Int
    var htmlUrl: String
    var headRef: String
}

private struct NewPull: Encodable {
    var title: String
    var headRef: String
}

@Suite("HTTPClient over loopback")
struct HTTPClientTests {
    let server: LoopbackHTTPServer
    init() throws { server = try LoopbackHTTPServer() }

    @Test func getDecodesSnakeCaseJSON() throws {
        server.enqueue(.json(200, #"{"number": 7, "html_url": "https://x/7", "head_ref": "gecko/1"}"#))
        let pull = try testClient().sendJSON(HTTPRequest(.get, server.baseURL + "/repos/o/r/pulls/7"), as: Pull.self)
        #expect(pull == Pull(number: 7, htmlUrl: "https://x/7", headRef: "gecko/1"))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/repos/o/r/pulls/7")
        #expect(request.header("accept") == "application/json")
        #expect(request.header("user-agent") == "wptsync")
    }

    @Test func postSendsJSONBody() throws {
        server.enqueue(.json(201, #"{"number": 8, "html_url": "u", "head_ref": "h"}"#))
        let request = try HTTPRequest.json(.post, server.baseURL + "/pulls", body: NewPull(title: "T", headRef: "gecko/2"))
        let pull: Pull = try testClient().sendJSON(request)
        #expect(pull.number == 8)
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.header("Content-Type") == "application/json")
        #expect(received.bodyText == #"{"head_ref":"gecko\/2","title":"T"}"#)
    }

    @Test func putWithoutBodySendsContentLengthZero() throws {
        server.enqueue(.respond(status: 204))
        let response = try testClient().send(HTTPRequest(.put, server.baseURL + "/labels", headers: ["X-Empty": ""]))
        #expect(response.status == 204)
        let request = try #require(server.requests.first)
        #expect(request.method == "PUT")
        #expect(request.header("content-length") == "0")
        #expect(request.header("x-empty") == "")
        #expect(request.header("content-type") == nil)
    }

    @Test func responseHeadersAreCaseInsensitive() throws {
        server.enqueue(.respond(status: 200, headers: [("X-GitHub-Request-Id", "abc"), ("x-multi", "1"), ("X-Multi", "2")]))
        let response = try testClient().send(HTTPRequest(.get, server.baseURL + "/"))
        #expect(response.headers["x-github-request-id"] == "abc")
        #expect(response.headers["X-GITHUB-REQUEST-ID"] == "abc")
        #expect(response.headers.values(for: "X-MULTI") == ["1", "2"])
    }

    @Test func notFoundBecomesStatusError() {
        server.enqueue(.json(404, #"{"message": "Not Found"}"#))
        #expect {
            try testClient().send(HTTPRequest(.get, server.baseURL + "/missing"))
        } throws: { error in
            guard let error = error as? RemoteError, case let .httpStatus(method, url, status, excerpt) = error else { return false }
            return method == .get && url.hasSuffix("/missing") && status == 404 && excerpt.contains("Not Found")
        }
    }

    @Test func serverErrorIsRetriedWithBackoff() throws {
        server.enqueue(.respond(status: 502), .respond(status: 503), .respond(status: 200, body: "ok"))
        let sleeper = RecordingSleeper()
        let response = try testClient(sleeper: sleeper).send(HTTPRequest(.get, server.baseURL + "/flaky"))
        #expect(response.bodyText == "ok")
        #expect(server.requests.count == 3)
        #expect(sleeper.delays == [.milliseconds(500), .seconds(1)])  // 1 s then 2 s, halved by jitter 0
    }

    @Test func postIsNotRetriedAfterServerError() {
        server.enqueue(.respond(status: 500, body: "boom"), .respond(status: 201))
        let sleeper = RecordingSleeper()
        #expect {
            try testClient(sleeper: sleeper).send(HTTPRequest(.post, server.baseURL + "/pulls", body: Array("{}".utf8)))
        } throws: { error in
            guard case .outcomeUnknown(let underlying) = error as? RemoteError else { return false }
            return underlying.httpStatus == 500
        }
        #expect(server.requests.count == 1)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func exhaustedRateLimitWaitsUntilReset() throws {
        let reset = Int(fixedNow.timeIntervalSince1970) + 30
        server.enqueue(
            .respond(status: 403, headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "\(reset)")]),
            .respond(status: 200, body: "after reset"))
        let sleeper = RecordingSleeper()
        let response = try testClient(sleeper: sleeper).send(HTTPRequest(.post, server.baseURL + "/comments"))
        #expect(response.bodyText == "after reset")
        #expect(sleeper.delays == [.seconds(31)])  // until reset, plus one second of margin
    }

    @Test func tooManyRequestsHonoursRetryAfter() throws {
        server.enqueue(.respond(status: 429, headers: [("Retry-After", "42")]), .respond(status: 200))
        let sleeper = RecordingSleeper()
        _ = try testClient(sleeper: sleeper).send(HTTPRequest(.get, server.baseURL + "/search"))
        #expect(sleeper.delays == [.seconds(42)])
        #expect(server.requests.count == 2)
    }

    @Test func rateLimitBeyondMaximumWaitFails() {
        let reset = Date(timeIntervalSince1970: fixedNow.timeIntervalSince1970 + 7200)
        server.enqueue(.respond(status: 403, headers: [
            ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "\(Int(reset.timeIntervalSince1970))"),
        ]))
        let sleeper = RecordingSleeper()
        #expect {
            try testClient(sleeper: sleeper).send(HTTPRequest(.get, server.baseURL + "/"))
        } throws: { error in
            guard case .rateLimited(let until) = error as? RemoteError else { return false }
            return until == reset.addingTimeInterval(1) && "\(error)".hasPrefix("rate limited until 20")
        }
        #expect(sleeper.delays.isEmpty)
    }

    @Test func silentServerTimesOut() {
        server.enqueue(.hang)
        var request = HTTPRequest(.get, server.baseURL + "/slow")
        request.timeout = .milliseconds(300)
        #expect {
            try testClient(policy: .never).send(request)
        } throws: { error in
            guard case .timeout(.get, let url, _) = error as? RemoteError else { return false }
            return url.hasSuffix("/slow")
        }
    }

    @Test func postTimingOutHasUnknownOutcome() {
        server.enqueue(.hang)
        var request = HTTPRequest(.post, server.baseURL + "/pulls", body: Array("{}".utf8))
        request.timeout = .milliseconds(300)
        #expect {
            try testClient().send(request)
        } throws: { error in
            guard case .outcomeUnknown(let underlying) = error as? RemoteError, case .timeout = underlying else { return false }
            return true
        }
        #expect(server.requests.count == 1)
    }

    @Test func refusedConnectionIsANetworkError() throws {
        let closed = try LoopbackHTTPServer()
        let url = closed.baseURL + "/"
        closed.stop()
        #expect {
            try testClient(policy: .never).send(HTTPRequest(.post, url))
        } throws: { error in
            // Nothing was sent, so even a POST fails plainly rather than with an unknown outcome.
            guard case .network(.post, _, let message) = error as? RemoteError else { return false }
            return !message.isEmpty
        }
    }

    @Test func notModifiedServesCachedBody() throws {
        server.enqueue(
            .respond(status: 200, headers: [("ETag", #""v1""#)], body: "first"),
            .respond(status: 304, headers: [("ETag", #""v1""#)]))
        let client = testClient(cache: InMemoryETagCache())
        let url = server.baseURL + "/repos/o/r"
        let first = try client.send(HTTPRequest(.get, url))
        let second = try client.send(HTTPRequest(.get, url))
        #expect(!first.servedFromCache)
        #expect(second.servedFromCache)
        #expect(second.bodyText == "first")
        #expect(second.status == 200)
        #expect(server.requests.map { $0.header("If-None-Match") } == [nil, #""v1""#])
    }

    @Test func notModifiedWithoutCacheIsReturnedToTheCaller() throws {
        server.enqueue(.respond(status: 304))
        let response = try testClient().send(HTTPRequest(.get, server.baseURL + "/", headers: ["If-None-Match": #""v9""#]))
        #expect(response.status == 304)
        #expect(!response.servedFromCache)
    }

    @Test func paginationLinksAreExposed() throws {
        let next = server.baseURL + "/pulls?page=2"
        server.enqueue(.respond(status: 200, headers: [("Link", "<\(next)>; rel=\"next\", <\(server.baseURL)/pulls?page=9>; rel=\"last\"")]))
        let response = try testClient().send(HTTPRequest(.get, server.baseURL + "/pulls"))
        #expect(response.links["next"] == next)
        #expect(response.links["last"] == server.baseURL + "/pulls?page=9")
    }

    @Test func tokenNeverAppearsInErrors() throws {
        let token = Token("ghp_SuperSecretValue123")
        // A server that echoes the credential back in its error body.
        server.enqueue(.respond(status: 401, body: "bad credentials: Bearer \(token.revealedValue)"))
        var request = HTTPRequest(.get, server.baseURL + "/user?access_token=\(token.revealedValue)&page=2")
        request.authorize(with: token)
        #expect(String(describing: request).contains(token.revealedValue) == false)
        #expect(request.headers.description.contains(token.revealedValue) == false)
        do {
            _ = try testClient().send(request)
            Issue.record("expected an error")
        } catch {
            var text = String(describing: error) + String(reflecting: error)
            dump(error, to: &text)
            #expect(!text.contains(token.revealedValue))
            #expect(text.contains("access_token=<redacted>&page=2"))
            #expect(error.httpStatus == 401)
        }
        #expect(server.requests.first?.header("authorization") == "Bearer \(token.revealedValue)")
    }
}
