import Foundation

/// How records are kept as JSON text, the same in both databases: keys sorted, so that an
/// unchanged record is the same text.
enum RecordCoding {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }
}

extension StoredRecord {
    /// The record `json` holds, with `id`; `corruptRecord` naming `table` when it cannot be read.
    static func decoded(_ json: String, id: Int64, table: String) throws(StoreError) -> Self {
        do {
            var record = try RecordCoding.decode(Self.self, json)
            record.id = id
            return record
        } catch {
            throw .corruptRecord(id: id, reason: "\(table): \(error)")
        }
    }
}
