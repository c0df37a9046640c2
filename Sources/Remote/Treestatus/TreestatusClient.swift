/// A tree's state as Mozilla's Treestatus service reports it (`GET /trees/{tree}`).
public struct TreeStatus: Sendable, Equatable, Decodable {
    public var tree: String
    /// `open`, `closed` or `approval required`.
    public var status: String
    public var reason: String?

    /// Only an open tree takes automated pushes.
    public var isOpen: Bool { status == "open" }

    public init(tree: String, status: String, reason: String? = nil) {
        self.tree = tree; self.status = status; self.reason = reason
    }
}

/// Reads a tree's status from Treestatus: `{"result": {"tree", "status", "reason", …}}`.
public struct TreestatusClient: Sendable {
    /// The tree's resource, e.g. `https://treestatus.mozilla-releng.net/trees/autoland`.
    public let url: String
    let http: HTTPClient

    public init(url: String, http: HTTPClient = HTTPClient()) { self.url = url; self.http = http }

    public func status() throws(RemoteError) -> TreeStatus {
        struct Envelope: Decodable { var result: TreeStatus }
        return try http.sendJSON(HTTPRequest(.get, url, timeout: .seconds(20)), as: Envelope.self).result
    }
}
