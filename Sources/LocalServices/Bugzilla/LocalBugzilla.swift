import Foundation

/// A local stand-in for Bugzilla's REST API (bugzilla.mozilla.org, `/rest`), for tests and
/// `wptsync demo`: an HTTP/1.1 server on 127.0.0.1 with bugs, comments, history, flags and
/// attachments in memory, Bugzilla's error envelope (`{"error": true, "code", "message",
/// "documentation"}`) and its HTTP statuses.
///
/// Served: `GET /rest/version`, `GET /rest/whoami`, `POST /rest/bug`, `GET /rest/bug?…` (search:
/// `id`, `product`, `component`, `status`, `creator`, `url`, `summary`, `whiteboard`, `limit`),
/// `GET`/`PUT /rest/bug/{id}`,
/// `GET`/`POST /rest/bug/{id}/comment`, `GET /rest/bug/{id}/history`, `GET`/`POST
/// /rest/bug/{id}/attachment`. Reads need no key; writes need an API key from `users`, sent as
/// `X-BUGZILLA-API-KEY` or as the `api_key` (`Bugzilla_api_key`) query parameter. A key nobody
/// has is refused on every request (code 306), a write without a key is code 410.
///
/// A person's edit is simulated through the same API with that person's key: history records
/// who changed what.
public final class LocalBugzilla: Sendable {
    /// Products and their components when none are given: Testing :: web-platform-tests and a
    /// few Core components.
    public static let defaultProducts: [String: [String]] = [
        "Testing": ["web-platform-tests", "General"],
        "Core": ["DOM: Core & HTML", "Layout", "Layout: Grid", "Layout: Flexbox", "CSS Parsing and Computation",
                 "Networking", "Graphics", "JavaScript Engine"],
    ]

    /// The port the server listens on.
    public let port: UInt16
    /// `http://127.0.0.1:<port>/rest`: the REST API's root.
    public var restURL: String { "http://127.0.0.1:\(port)/rest" }

    private let service: BugzillaService
    private let server: LoopbackServer

    /// Starts serving.
    /// - Parameters:
    ///   - users: API key → login (an email address).
    ///   - products: product → its components; bugs can be filed and moved only there.
    ///   - port: 0 lets the system choose; read `port` afterwards.
    public init(
        users: [String: String] = ["bot-key": "wptsync@mozilla.bugs"], products: [String: [String]] = defaultProducts,
        port: UInt16 = 0, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(LocalServiceError) {
        let service = BugzillaService(users: users, products: products.mapValues(Set.init), now: now)
        server = try LoopbackServer(port: port) { service.handle($0) }
        self.service = service
        self.port = server.port
    }

    deinit { server.stop() }

    /// Stops the server: ends hanging requests and waits for every connection thread. Idempotent.
    public func stop() { server.stop() }

    /// Makes the next `count` requests that match `method` (any when nil) and whose path starts
    /// with `pathPrefix` (any when nil, e.g. `/rest/bug/1/history`) fail with `fault`. Rules are
    /// tried in the order added. `.errorMessage` answers Bugzilla's envelope with code 32000.
    public func injectFault(_ fault: Fault, count: Int = 1, method: String? = nil, pathPrefix: String? = nil) {
        service.state.withLock {
            $0.faults.append(FaultRule(fault: fault, remaining: count, method: method, pathPrefix: pathPrefix))
        }
    }

    /// Drops every fault rule not used up yet.
    public func clearFaults() { service.state.withLock { $0.faults.removeAll() } }

    /// Bug `id` as stored, or nil.
    public func bug(_ id: Int) -> LocalBug? {
        service.state.withLock { state in state.bugs[id].map(LocalBug.init) }
    }

    /// Every bug, by id.
    public var bugs: [LocalBug] {
        service.state.withLock { state in state.bugs.keys.sorted().compactMap { state.bugs[$0].map(LocalBug.init) } }
    }

    /// Every request received so far, in order, with the status answered.
    public var requests: [RecordedRequest] { service.state.withLock { $0.requests } }

    /// Forgets the recorded requests.
    public func clearRequests() { service.state.withLock { $0.requests.removeAll() } }
}

/// A bug as the local Bugzilla holds it, for tests to check.
public struct LocalBug: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var who: String
        public var field: String
        public var removed: String
        public var added: String
    }

    public var id: Int
    /// Single-valued fields by REST name (`product`, `component`, `summary`, `status`, …).
    public var fields: [String: String]
    /// Multi-valued fields by REST name (`keywords`, `see_also`, `blocks`, …).
    public var lists: [String: [String]]
    /// Open flags as `needinfo?(someone@example.com)`.
    public var flags: [String]
    /// Comment texts, the description first.
    public var comments: [String]
    /// Every change in order, one entry per field.
    public var history: [Change]
    /// Attachment file names.
    public var attachments: [String]

    init(_ record: BugRecord) {
        id = record.id
        fields = record.scalars
        lists = record.lists
        flags = record.flags.map(\.label)
        comments = record.comments.map(\.text)
        history = record.history.flatMap { entry in
            entry.changes.map { Change(who: entry.who, field: $0.field, removed: $0.removed, added: $0.added) }
        }
        attachments = record.attachments.map(\.fileName)
    }
}
