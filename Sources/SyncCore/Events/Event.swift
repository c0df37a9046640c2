/// What a hook saw (one push), or what GitHub delivered to `wptsync serve` (one webhook), recorded
/// as one event in the journal.
public enum EventPayload: Sendable, Equatable {
    case hgPush(HgPush)
    case gitPush(GitPush)
    case gitHubDelivery(GitHubDelivery)

    /// The journal's name for this kind of event.
    public var kind: EventKind {
        switch self {
        case .hgPush: .hgPush
        case .gitPush: .gitPush
        case .gitHubDelivery: .gitHubWebhook
        }
    }

    /// The configured name of the repository the push went to.
    public var repository: String {
        switch self {
        case .hgPush(let push): push.repository
        case .gitPush(let push): push.repository
        case .gitHubDelivery(let delivery): delivery.repository
        }
    }

    /// Identifies the push: the same push delivered twice has the same key, so it is recorded once.
    public var dedupeKey: String {
        switch self {
        case .hgPush(let push):
            "hg-push:\(push.repository):\(push.firstNode):\(push.lastNode)"
        case .gitPush(let push):
            "git-push:\(push.repository):" + push.updates.map { "\($0.old) \($0.new) \($0.ref)" }.joined(separator: ";")
        case .gitHubDelivery(let delivery):
            // GitHub reuses the GUID when a delivery is redelivered.
            "github-delivery:\(delivery.delivery)"
        }
    }
}

/// The kinds of events in the journal.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    case hgPush = "hg-push"
    case gitPush = "git-push"
    case gitHubWebhook = "github-webhook"
}

/// A changegroup added to a Gecko repository: revisions `firstNode` to `lastNode`, in revision order.
public struct HgPush: Sendable, Equatable, Codable {
    public var repository: String
    public var firstNode: String
    public var lastNode: String
    /// `HG_SOURCE`: push, serve, pull, unbundle…
    public var source: String
    public var url: String?
    public var user: String?
    public var transaction: String?

    public init(repository: String, firstNode: String, lastNode: String, source: String,
                url: String? = nil, user: String? = nil, transaction: String? = nil) {
        self.repository = repository; self.firstNode = firstNode; self.lastNode = lastNode
        self.source = source; self.url = url; self.user = user; self.transaction = transaction
    }
}

/// Ref updates received by the wpt mirror in one push.
public struct GitPush: Sendable, Equatable, Codable {
    public var repository: String
    public var updates: [RefUpdate]
    public var user: String?

    public init(repository: String, updates: [RefUpdate], user: String? = nil) {
        self.repository = repository; self.updates = updates; self.user = user
    }
}

/// One `<old> <new> <ref>` line of a post-receive hook.
public struct RefUpdate: Sendable, Equatable, Codable {
    public static let zero = String(repeating: "0", count: 40)

    public var old: String
    public var new: String
    public var ref: String

    public init(old: String, new: String, ref: String) { self.old = old; self.new = new; self.ref = ref }

    public var isCreation: Bool { old == RefUpdate.zero }
    public var isDeletion: Bool { new == RefUpdate.zero }
}

/// One webhook delivery GitHub posted to `wptsync serve`, signature checked, kept as it came: the
/// worker reads it with `WebhookPayload.parse`.
public struct GitHubDelivery: Sendable, Equatable, Codable {
    /// The GitHub repository it concerns (`owner/name`); its deliveries are processed in order of arrival.
    public var repository: String
    /// `X-GitHub-Event`: `pull_request`, `check_run`…
    public var event: String
    /// `X-GitHub-Delivery`: a GUID, the same when GitHub redelivers it.
    public var delivery: String
    /// What it says, for people (`pull_request opened #12`), as `WebhookPayload.summary` wrote it.
    public var summary: String
    /// The JSON body, byte for byte as received (the journal keeps it apart from the other fields, as a BLOB).
    public var body: [UInt8]

    public init(repository: String, event: String, delivery: String, summary: String, body: [UInt8]) {
        self.repository = repository; self.event = event; self.delivery = delivery; self.summary = summary; self.body = body
    }

    enum CodingKeys: String, CodingKey { case repository, event, delivery, summary, body }

    /// In JSON (the spool, and journal rows written before the body had its own column) the body is
    /// a string; an empty one is left out.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        repository = try fields.decode(String.self, forKey: .repository)
        event = try fields.decode(String.self, forKey: .event)
        delivery = try fields.decode(String.self, forKey: .delivery)
        summary = try fields.decode(String.self, forKey: .summary)
        body = Array(try fields.decodeIfPresent(String.self, forKey: .body)?.utf8 ?? "".utf8)
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(repository, forKey: .repository)
        try fields.encode(event, forKey: .event)
        try fields.encode(delivery, forKey: .delivery)
        try fields.encode(summary, forKey: .summary)
        if !body.isEmpty { try fields.encode(String(decoding: body, as: UTF8.self), forKey: .body) }
    }
}
