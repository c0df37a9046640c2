import Foundation
import SyncCore

/// A record a migration derives rows from but cannot read (damaged, or written in a format this
/// wptsync no longer reads): the migration goes on without it and leaves it as it is, rather than
/// fail every process that opens the store. The migration keeps them in `skipped_records`
/// (`SkippedRecordSQL`): `wptsync migrate` and `wptsync status` name them while the row still
/// cannot be read; hooks and workers log them when they migrate.
public struct SkippedRecord: Sendable, Equatable, CustomStringConvertible {
    /// `landed-metadata-v1` (SQLite), `schema version 5` (PostgreSQL).
    public let migration: String
    public let table: String
    /// The row's key: a landing's id, a downstream sync's PR number.
    public let key: Int64
    public let reason: String

    public var description: String {
        "migration \(migration) left out \(table) row \(key), which cannot be read (\(reason)); the row is left as it is"
    }

    /// The record `json` holds, or nil, with why it cannot be read appended to `skipped`.
    static func decode<T: Decodable>(_ type: T.Type, _ json: String?, table: String, key: Int64, migration: String,
                                     skipped: inout [SkippedRecord]) -> T? {
        do { return try RecordCoding.decode(type, json ?? "") } catch {
            let reason = if let error = error as? DecodingError {
                error.failedField.path.isEmpty ? error.failedField.problem : "\(error.failedField.path): \(error.failedField.problem)"
            } else { "\(error)" }
            skipped.append(SkippedRecord(migration: migration, table: table, key: key, reason: reason))
            return nil
        }
    }
}

/// The records the migrations a store object ran skipped, shared with GRDB's migration closures.
final class SkippedRecords: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [SkippedRecord] = []

    var all: [SkippedRecord] { lock.withLock { records } }

    /// Replaces what `migration` skipped (a migration that is tried again starts afresh).
    func set(_ skipped: [SkippedRecord], for migration: String) {
        lock.withLock { records = records.filter { $0.migration != migration } + skipped }
    }
}
