import Foundation
import SyncCore

/// JSON form of event payloads: the kind is stored in its own column, the payload as JSON. In the
/// journal a GitHub delivery's body is stored apart, as received (`body` column, a BLOB): the JSON
/// then holds the other fields only.
enum PayloadCoding {
    /// The whole payload as JSON (the spool's form).
    static func encode(_ payload: EventPayload) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch payload {
        case .hgPush(let push): data = (try? encoder.encode(push)) ?? Data()
        case .gitPush(let push): data = (try? encoder.encode(push)) ?? Data()
        case .gitHubDelivery(let delivery): data = (try? encoder.encode(delivery)) ?? Data()
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The journal's columns for `payload`: the JSON, and a GitHub delivery's body apart.
    static func journalColumns(_ payload: EventPayload) -> (json: String, body: [UInt8]?) {
        guard case .gitHubDelivery(var delivery) = payload else { return (encode(payload), nil) }
        let body = delivery.body
        delivery.body = []
        return (encode(.gitHubDelivery(delivery)), body)
    }

    /// The payload of a journal row or spool line; `body`, when the row has one, is a delivery's body.
    static func decode(kind: String, json: String, body: [UInt8]? = nil) throws -> EventPayload {
        let data = Data(json.utf8)
        switch EventKind(rawValue: kind) {
        case .hgPush: return .hgPush(try JSONDecoder().decode(HgPush.self, from: data))
        case .gitPush: return .gitPush(try JSONDecoder().decode(GitPush.self, from: data))
        case .gitHubWebhook:
            var delivery = try JSONDecoder().decode(GitHubDelivery.self, from: data)
            if let body { delivery.body = body }
            return .gitHubDelivery(delivery)
        case nil: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown event kind \(kind)"))
        }
    }
}
