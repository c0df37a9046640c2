import Foundation

/// The fields of a webhook body that wptsync reads, each with the kind it should be: `JSONFields`
/// decodes those and skips everything else unread (a GitHub delivery is mostly URLs and the PR's text).
indirect enum JSONShape: Sendable {
    case string, number
    case object([String: JSONShape])
    case array(of: JSONShape)
}

/// A JSON value as `JSONShape` asked for it. A value of another kind than expected is kept as its
/// kind only (an object without its fields, an array without its items), for the error message.
enum JSONValue: Sendable {
    case null, bool, number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object read field by field, each error naming the field's whole path.
struct JSONFields {
    let values: [String: JSONValue]
    let path: String
    let event: String

    /// The body's top-level object, with only the fields `shape` names decoded.
    static func root(_ body: [UInt8], shape: [String: JSONShape], event: String) throws(WebhookPayloadError) -> JSONFields {
        let decoder = JSONDecoder()
        decoder.userInfo[ShapedRoot.shapeKey] = JSONShape.object(shape)
        let root: JSONValue
        do { root = try decoder.decode(ShapedRoot.self, from: Data(body)).value } catch {
            throw .notJSON(event: event, reason: reason(error))
        }
        guard case .object(let object) = root else { throw .notJSON(event: event, reason: "it is \(root.kind)") }
        return JSONFields(values: object, path: "", event: event)
    }

    private static func reason(_ error: any Error) -> String {
        guard case .dataCorrupted(let context) = error as? DecodingError else { return "it cannot be parsed" }
        return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func invalid(_ key: String, _ reason: String) -> WebhookPayloadError { .invalid(event: event, field: name(key), reason: reason) }
    func has(_ key: String) -> Bool { values[key] != nil }
    func isNull(_ key: String) -> Bool { if case .null = values[key] { true } else { false } }

    private func value(_ key: String) throws(WebhookPayloadError) -> JSONValue {
        guard let value = values[key] else { throw invalid(key, "is missing") }
        return value
    }

    func object(_ key: String) throws(WebhookPayloadError) -> JSONFields {
        let raw = try value(key)
        guard case .object(let object) = raw else { throw invalid(key, "is \(raw.kind), not an object") }
        return JSONFields(values: object, path: name(key), event: event)
    }

    func array(_ key: String) throws(WebhookPayloadError) -> [JSONFields] {
        let raw = try value(key)
        guard case .array(let items) = raw else { throw invalid(key, "is \(raw.kind), not an array") }
        var fields: [JSONFields] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else { throw invalid("\(key)[\(index)]", "is \(item.kind), not an object") }
            fields.append(JSONFields(values: object, path: name("\(key)[\(index)]"), event: event))
        }
        return fields
    }

    func string(_ key: String) throws(WebhookPayloadError) -> String {
        let raw = try value(key)
        guard case .string(let text) = raw else { throw invalid(key, "is \(raw.kind), not a string") }
        return text
    }

    func optionalString(_ key: String) throws(WebhookPayloadError) -> String? {
        guard has(key), !isNull(key) else { return nil }
        return try string(key)
    }

    func positive(_ key: String) throws(WebhookPayloadError) -> Int {
        let raw = try value(key)
        guard case .number(let number) = raw, let int = Int(exactly: number), int > 0 else {
            throw invalid(key, "is \(raw.kind), not a positive whole number")
        }
        return int
    }

    func sha(_ key: String) throws(WebhookPayloadError) -> String {
        let text = try string(key)
        guard Hex.isCommitID(text) else {
            throw invalid(key, "is \"\(text.prefix(80))\", not a commit id (40 lowercase hex digits)")
        }
        return text
    }

    func date(_ key: String) throws(WebhookPayloadError) -> Date {
        guard let date = try optionalDate(key) else { throw invalid(key, "is missing") }
        return date
    }

    func optionalDate(_ key: String) throws(WebhookPayloadError) -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else { throw invalid(key, "is \"\(text.prefix(40))\", not an ISO 8601 time") }
        return date
    }
}

/// The top-level value of a body, decoded as the `JSONShape` in the decoder's `userInfo` says.
private struct ShapedRoot: Decodable {
    static let shapeKey = CodingUserInfoKey(rawValue: "wptsync.shape")!
    let value: JSONValue

    init(from decoder: any Decoder) throws {
        value = try Self.value(decoder, decoder.userInfo[Self.shapeKey] as? JSONShape ?? .object([:]))
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The value `decoder` holds, decoded as `shape` expects; when it is of another kind, that kind.
    static func value(_ decoder: any Decoder, _ shape: JSONShape) throws -> JSONValue {
        switch shape {
        case .string: if let text = try? decoder.singleValueContainer().decode(String.self) { return .string(text) }
        case .number: if let number = try? decoder.singleValueContainer().decode(Double.self) { return .number(number) }
        case .object(let fields):
            if let object = try? decoder.container(keyedBy: Key.self) {
                var values: [String: JSONValue] = [:]
                for (name, shape) in fields {
                    let key = Key(stringValue: name)
                    if object.contains(key) { values[name] = try value(object.superDecoder(forKey: key), shape) }
                }
                return .object(values)
            }
        case .array(let item):
            if var items = try? decoder.unkeyedContainer() {
                var values: [JSONValue] = []
                while !items.isAtEnd { values.append(try value(items.superDecoder(), item)) }
                return .array(values)
            }
        }
        if (try? decoder.container(keyedBy: Key.self)) != nil { return .object([:]) }
        if (try? decoder.unkeyedContainer()) != nil { return .array([]) }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { return .null }
        if (try? single.decode(Bool.self)) != nil { return .bool }
        if let number = try? single.decode(Double.self) { return .number(number) }
        return .string(try single.decode(String.self))
    }
}
