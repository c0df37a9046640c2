import SyncCore

/// One push as hg.mozilla.org's pushlog (`json-pushes?version=2`) reports it.
public struct Push: Sendable, Equatable {
    /// The push id: numbered from 1 in push order.
    public var id: Int
    /// Who pushed, usually an email address.
    public var user: String
    /// When, in seconds since the Unix epoch.
    public var date: Int64
    /// The changesets in DAG order, tip last. Only `node` is set unless the query asked for `full=1`.
    public var changesets: [PushlogChangeset]

    public init(id: Int, user: String, date: Int64, changesets: [PushlogChangeset]) {
        self.id = id; self.user = user; self.date = date; self.changesets = changesets
    }

    /// The 40-hex nodes, in DAG order.
    public var nodes: [String] { changesets.map(\.node) }
}

/// One changeset of a push. With `full=1` every field is set; otherwise only `node`.
public struct PushlogChangeset: Sendable, Equatable, Codable {
    public var node: String
    public var author: String?
    public var desc: String?
    public var branch: String?
    public var parents: [String]?
    public var tags: [String]?
    public var files: [String]?

    public init(node: String, author: String? = nil, desc: String? = nil, branch: String? = nil,
                parents: [String]? = nil, tags: [String]? = nil, files: [String]? = nil) {
        self.node = node; self.author = author; self.desc = desc; self.branch = branch
        self.parents = parents; self.tags = tags; self.files = files
    }
}

/// One answer of the pushlog: the pushes asked for, in ascending id order, and the newest push id.
public struct PushlogPage: Sendable, Equatable {
    public var lastPushID: Int
    public var pushes: [Push]

    public init(lastPushID: Int, pushes: [Push]) { self.lastPushID = lastPushID; self.pushes = pushes }
}

/// Which pushes a pushlog request asks for (the documented `json-pushes` parameters).
public enum PushlogQuery: Sendable, Equatable {
    /// Pushes with `start < id <= end` (`startID` exclusive, `endID` inclusive); to include push N,
    /// start at N - 1.
    case ids(after: Int, through: Int)
    /// The pushes after the one holding `from`, up to and including the one holding `to`
    /// (`fromchange`, `tochange`).
    case changes(from: String, to: String)
    /// The push that holds `changeset`.
    case changeset(String)
    /// No bounds: the server's latest pushes (the last 10 on hg.mozilla.org).
    case latest

    /// The query parameters, `version=2` first and `full=1` last when asked.
    public func parameters(full: Bool) -> [(String, String)] {
        var parameters = [("version", "2")]
        switch self {
        case let .ids(start, end): parameters += [("startID", String(start)), ("endID", String(end))]
        case let .changes(from, to): parameters += [("fromchange", from), ("tochange", to)]
        case .changeset(let node): parameters.append(("changeset", node))
        case .latest: break
        }
        if full { parameters.append(("full", "1")) }
        return parameters
    }
}

/// Pure decoding of `json-pushes?version=2` answers.
public enum PushlogDecoding {
    /// Decodes a version 2 body: `{"lastpushid": N, "pushes": {"<id>": {"changesets": […], "date": …,
    /// "user": …}}}`. Changesets are nodes, or objects with `full=1`. Push ids are sorted numerically.
    /// Errors name `source` (the URL) and the field that was wrong.
    public static func page(_ body: [UInt8], source: String) throws(RemoteError) -> PushlogPage {
        let type = "json-pushes from \(source)"
        let wire: Wire
        do {
            wire = try JSONCoding.decode(Wire.self, from: body)
        } catch {
            guard case let .decoding(_, field, message) = error else { throw error }
            throw .decoding(type: type, field: field, message: message)
        }
        var pushes: [Push] = []
        for (key, push) in wire.pushes {
            guard let id = Int(key), id > 0, String(id) == key else {
                throw .decoding(type: type, field: "pushes", message: "push id \"\(key)\" is not a positive integer")
            }
            guard push.date.isFinite, abs(push.date) < 1e15 else {
                throw .decoding(type: type, field: "pushes.\(key).date", message: "\(push.date) is not a time in seconds")
            }
            let changesets = push.changesets.map(\.changeset)
            if let index = changesets.firstIndex(where: { !Hex.isHex($0.node, length: 40) }) {
                throw .decoding(type: type, field: "pushes.\(key).changesets[\(index)]",
                                message: "\"\(changesets[index].node.prefix(80))\" is not a 40-digit hex node")
            }
            pushes.append(Push(id: id, user: push.user, date: Int64(push.date), changesets: changesets))
        }
        return PushlogPage(lastPushID: wire.lastpushid, pushes: pushes.sorted { $0.id < $1.id })
    }

    /// The `error` text of a pushlog error body (`{"error": "…"}`), or nil when it is not one.
    public static func errorText(_ body: String) -> String? {
        struct ErrorBody: Decodable { var error: String }
        return try? JSONCoding.decode(ErrorBody.self, from: Array(body.utf8)).error
    }

    private struct Wire: Decodable {
        var lastpushid: Int
        var pushes: [String: WirePush]
    }

    private struct WirePush: Decodable {
        var changesets: [WireChangeset]
        /// Seconds; a number, whole on hg.mozilla.org.
        var date: Double
        var user: String
    }

    /// A node string, or a full changeset object.
    private struct WireChangeset: Decodable {
        var changeset: PushlogChangeset

        init(from decoder: any Decoder) throws {
            if let node = try? decoder.singleValueContainer().decode(String.self) {
                changeset = PushlogChangeset(node: node)
            } else {
                changeset = try PushlogChangeset(from: decoder)
            }
        }
    }
}
