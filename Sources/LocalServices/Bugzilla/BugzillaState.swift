import Foundation

/// Everything the local Bugzilla remembers. Guarded by the service's mutex; plain values.
struct BugzillaState {
    var bugs: [Int: BugRecord] = [:]
    var nextBugID = 1
    var nextCommentID = 1
    var nextFlagID = 1
    var nextAttachmentID = 1
    var faults: [FaultRule] = []
    var requests: [RecordedRequest] = []
}

/// One bug. Single-valued fields live in `scalars`, multi-valued ones in `lists`, both under their
/// REST names (`status`, `whiteboard`, `depends_on`…), as history and `changes` name them.
struct BugRecord {
    var id: Int
    var scalars: [String: String]
    var lists: [String: [String]]
    var flags: [FlagRecord] = []
    var comments: [CommentRecord] = []
    var history: [HistoryRecord] = []
    var attachments: [AttachmentRecord] = []
    var creationTime: Date
    var lastChangeTime: Date

    /// Fields a bug always has, with their value when `POST /rest/bug` does not give one.
    static let scalarDefaults: [(String, String)] = [
        ("product", ""), ("component", ""), ("summary", ""), ("version", "unspecified"), ("type", "defect"),
        ("priority", "--"), ("severity", "--"), ("whiteboard", ""), ("url", ""), ("status", "NEW"),
        ("resolution", ""), ("op_sys", "Unspecified"), ("platform", "Unspecified"), ("assigned_to", "nobody@mozilla.org"),
        ("creator", ""), ("alias", ""),
    ]
    static let scalarNames = Set(scalarDefaults.map(\.0))
    /// Multi-valued fields; `blocks` and `depends_on` hold bug numbers.
    static let listNames: [String] = ["keywords", "blocks", "depends_on", "see_also", "cc"]
    static let numericLists: Set<String> = ["blocks", "depends_on"]
    static let openStatuses: Set<String> = ["UNCONFIRMED", "NEW", "ASSIGNED", "REOPENED"]
    static let closedStatuses: Set<String> = ["RESOLVED", "VERIFIED"]
    static let resolutions: Set<String> = [
        "FIXED", "INVALID", "WONTFIX", "DUPLICATE", "WORKSFORME", "INCOMPLETE", "INACTIVE", "MOVED",
    ]

    var isOpen: Bool { Self.openStatuses.contains(scalars["status"] ?? "") }

    /// The bug as `GET /rest/bug/{id}` shows it; `include` limits the fields (`_default`/`_all` or
    /// nil: every field).
    func json(include: Set<String>?) -> JSON {
        var members: [(String, JSON)] = [("id", .int(id))]
        for (name, _) in Self.scalarDefaults {
            let value = scalars[name] ?? ""
            members.append((name, name == "alias" ? (value.isEmpty ? .null : .string(value)) : .string(value)))
        }
        for name in Self.listNames {
            let values = lists[name] ?? []
            members.append((name, .array(values.map { Self.numericLists.contains(name) ? .int(Int($0) ?? 0) : .string($0) })))
        }
        members += [
            ("is_open", .bool(isOpen)), ("classification", .string("Components")),
            ("creation_time", .string(timestamp(creationTime))), ("last_change_time", .string(timestamp(lastChangeTime))),
            ("flags", .array(flags.map { $0.json() })),
        ]
        guard let include, !include.contains("_default"), !include.contains("_all") else { return .object(members) }
        return .object(members.filter { include.contains($0.0) })
    }
}

/// A flag on a bug; wptsync uses `needinfo`.
struct FlagRecord {
    var id: Int
    var name: String
    var status: String
    var requestee: String?
    var setter: String
    var created: Date
    var modified: Date

    /// How history and `changes` write the flag: `needinfo?(someone@example.com)`.
    var label: String { "\(name)\(status)" + (requestee.map { "(\($0))" } ?? "") }

    func json() -> JSON {
        var members: [(String, JSON)] = [
            ("id", .int(id)), ("type_id", .int(800)), ("name", .string(name)), ("status", .string(status)),
            ("setter", .string(setter)),
        ]
        if let requestee { members.append(("requestee", .string(requestee))) }
        members += [("creation_date", .string(timestamp(created))), ("modification_date", .string(timestamp(modified)))]
        return .object(members)
    }
}

struct CommentRecord {
    var id: Int
    var bugID: Int
    var count: Int
    var text: String
    var creator: String
    var time: Date
    var isPrivate: Bool
    var isMarkdown: Bool
    var attachmentID: Int?

    func json() -> JSON {
        .object([
            ("id", .int(id)), ("bug_id", .int(bugID)), ("count", .int(count)), ("text", .string(text)),
            ("raw_text", .string(text)), ("creator", .string(creator)), ("author", .string(creator)),
            ("time", .string(timestamp(time))), ("creation_time", .string(timestamp(time))),
            ("is_private", .bool(isPrivate)), ("is_markdown", .bool(isMarkdown)),
            ("attachment_id", attachmentID.map(JSON.int) ?? .null), ("tags", .array([])),
        ])
    }
}

struct HistoryRecord {
    var when: Date
    var who: String
    var changes: [FieldChange]

    func json() -> JSON {
        .object([
            ("when", .string(timestamp(when))), ("who", .string(who)),
            ("changes", .array(changes.map {
                .object([("field_name", .string($0.field)), ("removed", .string($0.removed)), ("added", .string($0.added))])
            })),
        ])
    }
}

/// One field's change, as both history and a `PUT`'s answer report it.
struct FieldChange {
    var field: String
    var removed: String
    var added: String
}

struct AttachmentRecord {
    var id: Int
    var bugID: Int
    var fileName: String
    var summary: String
    var contentType: String
    var data: Data
    var creator: String
    var created: Date
    var isPatch: Bool

    func json() -> JSON {
        .object([
            ("id", .int(id)), ("bug_id", .int(bugID)), ("file_name", .string(fileName)), ("summary", .string(summary)),
            ("content_type", .string(contentType)), ("size", .int(data.count)), ("data", .string(data.base64EncodedString())),
            ("creator", .string(creator)), ("creation_time", .string(timestamp(created))),
            ("last_change_time", .string(timestamp(created))), ("is_patch", .bool(isPatch)), ("is_obsolete", .bool(false)),
            ("is_private", .bool(false)), ("flags", .array([])),
        ])
    }
}
