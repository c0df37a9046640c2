import Foundation
import Remote
import TestSupport
import Testing

private let a = String(repeating: "a", count: 40)
private let b = String(repeating: "b", count: 40)
private let c = String(repeating: "c", count: 40)

@Suite("Pushlog decoding")
struct PushlogDecodingTests {
    @Test func nodesOnlyAreSortedByNumericPushID() throws {
        // The real server sorts keys as text: "10" comes before "9".
        let body = """
            {"lastpushid": 10, "pushes": {
              "10": {"changesets": ["\(c)"], "date": 1700000100, "user": "c@example.com"},
              "9": {"changesets": ["\(a)", "\(b)"], "date": 1700000000, "user": "ab@example.com"}}}
            """
        let page = try PushlogDecoding.page(Array(body.utf8), source: "http://x/json-pushes")
        #expect(page.lastPushID == 10)
        #expect(page.pushes.map(\.id) == [9, 10])
        #expect(page.pushes[0] == Push(id: 9, user: "ab@example.com", date: 1_700_000_000,
                                       changesets: [PushlogChangeset(node: a), PushlogChangeset(node: b)]))
        #expect(page.pushes[0].nodes == [a, b])
    }

    @Test func fullChangesetsKeepEveryField() throws {
        let body = """
            {"lastpushid": 3, "pushes": {"3": {"changesets": [{"node": "\(a)", "author": "Dev <dev@example.com>",
              "desc": "Bug 1 - x. r=y", "branch": "default", "parents": ["\(b)"], "tags": ["tip"],
              "files": ["testing/web-platform/tests/a.html"], "precursors": []}], "date": 5, "user": "u"}}}
            """
        let push = try #require(try PushlogDecoding.page(Array(body.utf8), source: "u").pushes.first)
        #expect(push.changesets == [PushlogChangeset(
            node: a, author: "Dev <dev@example.com>", desc: "Bug 1 - x. r=y", branch: "default",
            parents: [b], tags: ["tip"], files: ["testing/web-platform/tests/a.html"])])
    }

    @Test func emptyRangeHasNoPushes() throws {
        let page = try PushlogDecoding.page(Array(#"{"lastpushid": 4, "pushes": {}}"#.utf8), source: "u")
        #expect(page == PushlogPage(lastPushID: 4, pushes: []))
    }

    @Test(arguments: [
        (#"{"pushes": {}}"#, "lastpushid", "missing"),
        (#"{"lastpushid": 1, "pushes": {"x1": {"changesets": [], "date": 1, "user": "u"}}}"#, "pushes", "push id \"x1\""),
        (#"{"lastpushid": 1, "pushes": {"1": {"changesets": ["abc"], "date": 1, "user": "u"}}}"#, "pushes.1.changesets[0]", "\"abc\" is not a 40-digit hex node"),
        (#"{"lastpushid": 1, "pushes": {"1": {"changesets": [{"author": "x"}], "date": 1, "user": "u"}}}"#, "node", "missing"),
        (#"{"lastpushid": 1, "pushes": {"1": {"changesets": [], "date": "yesterday", "user": "u"}}}"#, "date", ""),
        ("<html>Internal error</html>", "", "not valid JSON"),
    ])
    func malformedBodiesNameTheURLAndTheField(body: String, field: String, message: String) {
        #expect {
            try PushlogDecoding.page(Array(body.utf8), source: "http://127.0.0.1:1/json-pushes?version=2")
        } throws: { error in
            guard case let .decoding(type, errorField, errorMessage) = error as? RemoteError else { return false }
            return type == "json-pushes from http://127.0.0.1:1/json-pushes?version=2"
                && (field.isEmpty || errorField.contains(field)) && (message.isEmpty || errorMessage.contains(message))
        }
    }

    @Test func queriesFollowTheDocumentedParameters() {
        let client = PushlogClient(repositoryURL: "https://hg.example/integration/autoland/")
        #expect(client.url(.ids(after: 4, through: 9)) == "https://hg.example/integration/autoland/json-pushes?version=2&startID=4&endID=9")
        #expect(client.url(.latest, full: true) == "https://hg.example/integration/autoland/json-pushes?version=2&full=1")
        #expect(client.url(.changes(from: "abc", to: "d e")) == "https://hg.example/integration/autoland/json-pushes?version=2&fromchange=abc&tochange=d%20e")
        #expect(client.url(.changeset(a)).hasSuffix("?version=2&changeset=\(a)"))
    }

    @Test func serverErrorTextIsRead() {
        #expect(PushlogDecoding.errorText(#"{"error": "unknown revision 'zzz'"}"#) == "unknown revision 'zzz'")
        #expect(PushlogDecoding.errorText("Not Found") == nil)
    }
}

@Suite("Pushlog client over loopback")
struct PushlogClientTests {
    let server: LoopbackHTTPServer
    init() throws { server = try LoopbackHTTPServer() }

    private func client(pageSize: Int = 200, sleeper: RecordingSleeper = RecordingSleeper()) -> PushlogClient {
        var client = PushlogClient(repositoryURL: server.baseURL + "/integration/autoland", http: testClient(sleeper: sleeper))
        client.pageSize = pageSize
        return client
    }

    private static func push(_ id: Int, _ node: String) -> String {
        #""\#(id)": {"changesets": ["\#(node)"], "date": \#(id), "user": "u\#(id)@example.com"}"#
    }

    @Test func aRangeIsReadInPagesWithExclusiveStartAndInclusiveEnd() throws {
        server.enqueue(
            .json(200, #"{"lastpushid": 5, "pushes": {\#(Self.push(2, a)), \#(Self.push(3, b))}}"#),
            .json(200, #"{"lastpushid": 5, "pushes": {\#(Self.push(4, c))}}"#))
        let pushes = try client(pageSize: 2).pushes(2...4)
        #expect(pushes.map(\.id) == [2, 3, 4])
        #expect(pushes.map(\.nodes) == [[a], [b], [c]])
        #expect(server.requests.map(\.path) == [
            "/integration/autoland/json-pushes?version=2&startID=1&endID=3",
            "/integration/autoland/json-pushes?version=2&startID=3&endID=4",
        ])
        #expect(server.requests.first?.header("accept") == "application/json")
    }

    @Test func readingStopsAtTheLastPush() throws {
        server.enqueue(.json(200, #"{"lastpushid": 3, "pushes": {\#(Self.push(3, a))}}"#))
        let pushes = try client(pageSize: 2).pushes(3...10)
        #expect(pushes.map(\.id) == [3])
        #expect(server.requests.count == 1)
    }

    @Test func notFoundNamesTheURLAndTheServersError() {
        server.enqueue(.json(404, #"{"error": "unknown revision 'deadbeef'"}"#))
        #expect {
            try client().page(.changeset("deadbeef"))
        } throws: { error in
            guard let error = error as? RemoteError, case let .unknownRevision(url, serverError) = error else { return false }
            return url.hasSuffix("/integration/autoland/json-pushes?version=2&changeset=deadbeef")
                && serverError == "unknown revision 'deadbeef'"
                && error.description.contains("unknown revision or push: unknown revision 'deadbeef'")
        }
    }

    @Test func otherStatusesKeepTheStatusAndAreRetriedWhenTransient() throws {
        let sleeper = RecordingSleeper()
        server.enqueue(.respond(status: 503, body: "busy"), .json(200, #"{"lastpushid": 7, "pushes": {}}"#))
        #expect(try client(sleeper: sleeper).lastPushID() == 7)
        #expect(sleeper.delays.count == 1)

        server.enqueue(.respond(status: 403, body: "forbidden"))
        #expect {
            try client().lastPushID()
        } throws: { error in
            guard case let .httpStatus(.get, url, 403, excerpt) = error as? RemoteError else { return false }
            return url.contains("/json-pushes?version=2&startID=0&endID=0") && excerpt == "forbidden"
        }
    }

    @Test func malformedAnswerNamesTheURL() {
        server.enqueue(.json(200, #"{"lastpushid": "many"}"#))
        #expect {
            try client().lastPushID()
        } throws: { error in
            guard case let .decoding(type, field, _) = error as? RemoteError else { return false }
            return type.hasPrefix("json-pushes from \(server.baseURL)/integration/autoland/json-pushes?") && field == "lastpushid"
        }
    }
}
