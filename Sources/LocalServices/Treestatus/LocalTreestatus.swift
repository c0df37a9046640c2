import Foundation
import Synchronization

/// A local stand-in for Mozilla's Treestatus, for tests and `wptsync demo`: `GET /trees/{tree}`
/// answers `{"result": {"tree", "status", "reason", "message_of_the_day", "tags"}}`, and an
/// unknown tree a 404 problem document, on 127.0.0.1. Trees start open.
public final class LocalTreestatus: Sendable {
    private struct Tree { var status = "open"; var reason = "" }
    private struct State { var trees: [String: Tree] = [:]; var failures = 0; var requests = 0 }
    private final class Box: Sendable {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }
    }

    public let port: UInt16
    private let box: Box
    private let server: LoopbackServer

    /// Serves `trees` (all open).
    public init(trees: [String] = ["autoland"]) throws(LocalServiceError) {
        let box = Box(State(trees: Dictionary(uniqueKeysWithValues: trees.map { ($0, Tree()) })))
        server = try LoopbackServer { request in box.state.withLock { Self.reply(request, &$0) } }
        self.box = box
        port = server.port
    }

    deinit { server.stop() }

    public func stop() { server.stop() }

    /// The URL of `tree`'s resource, for `treestatus_url`.
    public func url(tree: String) -> String { treesURL + "/" + tree }

    /// The URL of the trees' collection, for `[autoland] treestatus_url`.
    public var treesURL: String { "http://127.0.0.1:\(port)/trees" }

    /// Sets a tree's status (`open`, `closed`, `approval required`) and reason.
    public func set(_ tree: String, status: String, reason: String = "") {
        box.state.withLock { $0.trees[tree] = Tree(status: status, reason: reason) }
    }

    /// Makes the next `count` requests answer 503.
    public func failNext(_ count: Int) { box.state.withLock { $0.failures = count } }

    /// How many requests were answered.
    public var requestCount: Int { box.state.withLock { $0.requests } }

    private static func reply(_ request: ServerRequest, _ state: inout State) -> ServerReply {
        state.requests += 1
        if state.failures > 0 {
            state.failures -= 1
            return json(503, ["detail": "Service Unavailable", "status": 503, "title": "503 Service Unavailable", "type": "about:blank"])
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard request.method == "GET", parts.count == 2, parts[0] == "trees" else {
            return json(404, ["detail": "Not Found", "status": 404, "title": "404 Not Found", "type": "about:blank"])
        }
        guard let tree = state.trees[parts[1]] else {
            return json(404, ["detail": "No such tree", "status": 404, "title": "404 Not Found: No such tree", "type": "about:blank"])
        }
        return json(200, ["result": ["tree": parts[1], "status": tree.status, "reason": tree.reason,
                                     "message_of_the_day": "", "tags": [String]()] as [String: Any]])
    }

    private static func json(_ status: Int, _ object: [String: Any]) -> ServerReply {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
        let type = status == 200 ? "application/json" : "application/problem+json"
        return .respond(status: status, headers: [("Content-Type", type), ("Content-Length", "\(body.count)")], body: body)
    }
}
