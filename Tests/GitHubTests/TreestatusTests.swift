import LocalServices
import Remote
import TestSupport
import Testing

@Suite("Treestatus client against the local Treestatus")
struct TreestatusTests {
    @Test func readsOpenClosedAndRetriesServerErrors() throws {
        let server = try LocalTreestatus(trees: ["autoland"])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let client = TreestatusClient(url: server.url(tree: "autoland"), http: HTTPClient(sleeper: sleeper, random: { 0 }))
        #expect(try client.status() == TreeStatus(tree: "autoland", status: "open", reason: ""))
        server.set("autoland", status: "closed", reason: "bustage")
        let closed = try client.status()
        #expect(!closed.isOpen && closed.reason == "bustage")
        server.set("autoland", status: "approval required")
        #expect(try !client.status().isOpen)

        server.failNext(1)
        #expect(try client.status().status == "approval required")
        #expect(sleeper.delays.count == 1, "a 503 is retried after a pause")
    }

    @Test func anUnknownTreeIsAnHTTPErrorNamingTheURL() throws {
        let server = try LocalTreestatus(trees: ["autoland"])
        defer { server.stop() }
        let url = server.url(tree: "mozilla-inbound")
        #expect { try TreestatusClient(url: url).status() } throws: { error in
            guard case let .httpStatus(_, failedURL, status, excerpt) = error as? RemoteError else { return false }
            return failedURL == url && status == 404 && excerpt.contains("No such tree")
        }
    }
}
