import Foundation
import SyncCore

/// A JSON value with object keys kept in the order written, so responses read like GitHub's.
enum JSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])
    /// Text that is already JSON, inserted as it is.
    case raw(String)

    static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.serialized() == rhs.serialized() }

    /// `.string(value)`, or `.null` for nil.
    static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// `.bool(value)`, or `.null` for nil.
    static func optional(_ value: Bool?) -> JSON { value.map(JSON.bool) ?? .null }

    /// Compact UTF-8 text.
    func serialized() -> String {
        switch self {
        case .string(let text): JSON.quote(text)
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .raw(let text): text
        case .array(let items): "[" + items.map { $0.serialized() }.joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { JSON.quote($0.0) + ":" + $0.1.serialized() }.joined(separator: ",") + "}"
        }
    }

    private static func quote(_ text: String) -> String { MessageJSON.quoted(text) }
}

/// A request body parsed leniently, as GitHub does: an object whose fields are read by name.
struct RequestBody {
    private let fields: [String: Any]

    /// Nil when the body is not a JSON object (GitHub answers 400 "Problems parsing JSON").
    init?(_ bytes: [UInt8]) {
        if bytes.isEmpty { fields = [:]; return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        fields = object
    }

    func string(_ name: String) -> String? { fields[name] as? String }
    func strings(_ name: String) -> [String]? { fields[name] as? [String] }
    func has(_ name: String) -> Bool { fields[name] != nil }
}

/// ISO 8601 in UTC with whole seconds, as GitHub writes timestamps.
func timestamp(_ date: Date) -> String {
    date.ISO8601Format()  // "2011-01-26T19:01:12Z"
}
