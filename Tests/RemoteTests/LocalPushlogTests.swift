import Foundation
import LocalServices
import Remote
import TestSupport
import Testing

/// The pushlog client against the local pushlog, serving a real Mercurial repository whose pushes
/// go through the recording hook.
@Suite("Local pushlog")
struct LocalPushlogTests {
    let dev: HgFixture
    let target: String
    let pushlog: LocalPushlog
    let keep = TempDir("pushlog")

    init() throws {
        dev = try HgFixture("pushlog-dev")
        target = keep.sub("target")
        try sh("hg", ["init", target])
        pushlog = try LocalPushlog(repositoryPath: target)
    }

    private func client(sleeper: RecordingSleeper = RecordingSleeper(), policy: RetryPolicy = RetryPolicy()) -> PushlogClient {
        PushlogClient(repositoryURL: pushlog.repositoryURL, http: testClient(sleeper: sleeper, policy: policy))
    }

    /// Commits each of `messages` (one new file each) and pushes them together; returns the nodes.
    private func push(_ messages: [String], wpt: Bool = false) throws -> [String] {
        var nodes: [String] = []
        for message in messages {
            let file = (wpt ? "testing/web-platform/tests/" : "") + "f\(nodes.count)-\(message.count).txt"
            try dev.write(file, message + "\n")
            nodes.append(try dev.commit(message, user: "Dev <dev@example.com>"))
        }
        try dev.hg(["push", "-q", target])
        return nodes
    }

    @Test func pushesThroughTheHookAreServedInTheDocumentedShape() throws {
        let first = try push(["Bug 1 - one"])
        let second = try push(["Bug 2 - two", "Bug 3 - three"], wpt: true)
        let page = try client().page(.ids(after: 0, through: 2))
        #expect(page.lastPushID == 2)
        #expect(page.pushes.map(\.id) == [1, 2])
        #expect(page.pushes.map(\.nodes) == [first, second])
        #expect(page.pushes.allSatisfy { !$0.user.isEmpty && $0.date > 1_600_000_000 })
        #expect(page.pushes[1].changesets.allSatisfy { $0.desc == nil && $0.files == nil })

        let request = try #require(pushlog.requests.last)
        #expect(request.status == 200 && request.query == ["version": "2", "startID": "0", "endID": "2"])
        let raw = try testClient().send(HTTPRequest(.get, pushlog.repositoryURL + "/json-pushes?version=2&startID=1&endID=2"))
        #expect(raw.headers["Content-Type"] == "application/json")
        #expect(raw.bodyText.hasPrefix(#"{"lastpushid":2,"pushes":{"2":{"changesets":[""#))
    }

    @Test func fullChangesetsCarryEveryField() throws {
        let root = try push(["Bug 1 - one"])
        let nodes = try push(["Bug 2 - two. r=alice"], wpt: true)
        let push = try #require(try client().page(.ids(after: 1, through: 2), full: true).pushes.first)
        #expect(push.id == 2)
        #expect(push.changesets == [PushlogChangeset(
            node: nodes[0], author: "Dev <dev@example.com>", desc: "Bug 2 - two. r=alice", branch: "default",
            parents: root, tags: ["tip"], files: ["testing/web-platform/tests/f0-20.txt"])])
    }

    @Test func idsAreSortedNumericallyAndRangesArePaged() throws {
        let nodes = try push(["a"]) + push(["b"])
        for id in 3...12 { #expect(try pushlog.recordPush(firstNode: nodes[(id + 1) % 2], lastNode: nodes[(id + 1) % 2]) == id) }
        var paged = client()
        paged.pageSize = 4
        let pushes = try paged.pushes(2...11)
        #expect(pushes.map(\.id) == Array(2...11))
        #expect(pushes.map(\.nodes) == (2...11).map { [nodes[($0 + 1) % 2]] })
        #expect(pushlog.requests.map { $0.query["startID"] ?? "" } == ["1", "5", "9"])
    }

    @Test func changesetQueriesAndUnknownRevisions() throws {
        _ = try push(["a"])
        let second = try push(["b", "c"])
        #expect(try client().page(.changeset(second[0])).pushes.map(\.id) == [2])
        #expect(try client().page(.changes(from: second[0], to: second[1])).pushes.isEmpty)
        let unknown = String(repeating: "d", count: 40)
        #expect {
            try client().page(.changeset(unknown))
        } throws: { error in
            guard case let .unknownRevision(url, serverError) = error as? RemoteError else { return false }
            return url.hasPrefix(pushlog.repositoryURL + "/json-pushes?") && serverError == "unknown revision '\(unknown)'"
        }
        #expect(pushlog.requests.last?.status == 404)
    }

    @Test func faultsAreRetriedOrTimeOut() throws {
        _ = try push(["a"])
        let sleeper = RecordingSleeper()
        pushlog.injectFault(.serverError(status: 502), count: 2)
        #expect(try client(sleeper: sleeper).lastPushID() == 1)
        #expect(sleeper.delays.count == 2)
        #expect(pushlog.requests.map(\.status) == [502, 502, 200])

        pushlog.injectFault(.hang)
        var hanging = client(policy: .never)
        hanging.timeout = .milliseconds(300)
        #expect {
            try hanging.lastPushID()
        } throws: { error in
            guard case .timeout(.get, let url, _) = error as? RemoteError else { return false }
            return url.contains("/json-pushes?version=2")
        }
    }

    @Test func badParametersAnswer400() throws {
        #expect {
            try testClient(policy: .never).send(HTTPRequest(.get, pushlog.repositoryURL + "/json-pushes?version=2&startID=x"))
        } throws: { error in
            guard case let .httpStatus(_, _, 400, excerpt) = error as? RemoteError else { return false }
            return excerpt.contains("startID is not an integer: x")
        }
    }
}
