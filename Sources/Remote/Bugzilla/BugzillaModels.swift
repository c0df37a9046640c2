import Foundation
import SyncCore

/// A bug to file with `POST /rest/bug`. Nil fields are left to Bugzilla's defaults.
public struct NewBug: Sendable, Equatable, Encodable {
    public var product: String
    public var component: String
    public var summary: String
    /// `task`, `defect` or `enhancement`.
    public var type: String
    /// The first comment.
    public var description: String
    public var version: String
    public var whiteboard: String?
    public var url: String?
    public var priority: String?
    public var keywords: [String]?
    public var seeAlso: [String]?
    public var blocks: [Int]?
    public var dependsOn: [Int]?
    public var isMarkdown: Bool?

    public init(product: String, component: String, summary: String, type: String = "task", description: String,
                version: String = "unspecified", whiteboard: String? = nil, url: String? = nil) {
        self.product = product
        self.component = component
        self.summary = summary
        self.type = type
        self.description = description
        self.version = version
        self.whiteboard = whiteboard
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case product, component, summary, type, description, version, whiteboard, url, priority, keywords, blocks
        case seeAlso = "see_also", dependsOn = "depends_on", isMarkdown = "is_markdown"
    }
}

/// A bug as `GET /rest/bug/{id}` answers it; fields not asked for (`include_fields`) are nil.
public struct BugzillaBug: Sendable, Equatable, Decodable {
    public var id: Int
    public var product: String?
    public var component: String?
    public var summary: String?
    public var status: String?
    public var resolution: String?
    public var whiteboard: String?
    public var url: String?
    public var type: String?
    public var priority: String?
    public var creator: String?
    public var keywords: [String]?
    public var seeAlso: [String]?
    public var flags: [BugFlag]?
    public var lastChangeTime: Date?

    enum CodingKeys: String, CodingKey {
        case id, product, component, summary, status, resolution, whiteboard, url, type, priority, creator, keywords, flags
        case seeAlso = "see_also", lastChangeTime = "last_change_time"
    }
}

/// A flag on a bug, such as `needinfo?` with a requestee.
public struct BugFlag: Sendable, Equatable, Decodable {
    public var id: Int
    public var name: String
    /// `?`, `+` or `-`.
    public var status: String
    public var requestee: String?
    public var setter: String?
}

/// Changes to send with `PUT /rest/bug/{id}`: only what is given changes.
public struct BugUpdate: Sendable, Equatable, Encodable {
    /// Single-valued fields by REST name: `component`, `whiteboard`, `status`, `resolution`…
    public var fields: [String: String]
    /// Multi-valued fields by REST name (`keywords`, `see_also`, `blocks`…).
    public var lists: [String: ListChange]
    public var flags: [FlagChange]
    /// A comment added with the change.
    public var comment: String?

    public init(fields: [String: String] = [:], lists: [String: ListChange] = [:], flags: [FlagChange] = [],
                comment: String? = nil) {
        self.fields = fields
        self.lists = lists
        self.flags = flags
        self.comment = comment
    }

    public var isEmpty: Bool { fields.isEmpty && lists.isEmpty && flags.isEmpty && comment == nil }

    public func encode(to encoder: any Encoder) throws {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        struct Comment: Encodable { var body: String }
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in fields { try container.encode(value, forKey: Key(name)) }
        for (name, change) in lists { try container.encode(change, forKey: Key(name)) }
        if !flags.isEmpty { try container.encode(flags, forKey: Key("flags")) }
        if let comment { try container.encode(Comment(body: comment), forKey: Key("comment")) }
    }
}

/// Items added to and removed from a multi-valued field, or its whole new value (`set`).
public struct ListChange: Sendable, Equatable, Encodable {
    public var add: [String]?
    public var remove: [String]?
    public var set: [String]?

    public init(add: [String]? = nil, remove: [String]? = nil, set: [String]? = nil) {
        self.add = add
        self.remove = remove
        self.set = set
    }
}

/// A flag to set (by `name`) or to change or clear (by `id`, status `X` clears).
public struct FlagChange: Sendable, Equatable, Encodable {
    public var id: Int?
    public var name: String?
    public var status: String
    public var requestee: String?

    /// Asks `requestee` for information.
    public static func needinfo(_ requestee: String) -> FlagChange {
        FlagChange(id: nil, name: "needinfo", status: "?", requestee: requestee)
    }

    /// Clears flag `id`.
    public static func clear(_ id: Int) -> FlagChange { FlagChange(id: id, name: nil, status: "X", requestee: nil) }
}

/// What one field's update changed, as `PUT /rest/bug/{id}` reports it.
public struct BugFieldUpdate: Sendable, Equatable, Decodable {
    public var added: String
    public var removed: String

    public init(added: String, removed: String) {
        self.added = added
        self.removed = removed
    }
}

/// A comment; `count` 0 is the bug's description.
public struct BugComment: Sendable, Equatable, Decodable {
    public var id: Int
    public var count: Int
    public var text: String
    public var creator: String
    public var time: Date
    public var isPrivate: Bool

    enum CodingKeys: String, CodingKey {
        case id, count, text, creator, time, isPrivate = "is_private"
    }
}

/// The account an API key belongs to (`GET /rest/whoami`).
public struct BugzillaUser: Sendable, Equatable, Decodable {
    public var id: Int
    /// The login, an email address: what history's `who` shows.
    public var name: String
}

/// The outcome of `BugzillaClient.updateOwnedFields`.
public struct OwnedFieldsUpdate: Sendable, Equatable {
    /// What Bugzilla changed, by field.
    public var changes: [String: BugFieldUpdate]
    /// Fields left as they are because a person changed them, with who and when.
    public var leftAlone: [String: BugFieldOwnership.Decision]
}
