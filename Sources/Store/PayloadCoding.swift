import Foundation
import SyncCore

/// JSON form of event payloads: the kind is stored in its own column, the payload as JSON.
enum PayloadCoding {
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

    static func decode(kind: String, json: String) throws -> EventPayload {
        let data = Data(json.utf8)
        switch EventKind(rawValue: kind) {
        case .hgPush: return .hgPush(try JSONDecoder().decode(HgPush.self, from: data))
        case .gitPush: return .gitPush(try JSONDecoder().decode(GitPush.self, from: data))
        case .gitHubWebhook: return .gitHubDelivery(try JSONDecoder().decode(GitHubDelivery.self, from: data))
        case nil: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown event kind \(kind)"))
        }
    }
}
