import Foundation

/// What `wptsync migrate-store` writes in its marker file (`StoreSettings.migrationMarkerPath`)
/// while it copies the store, and keeps there once the copy is made until the configuration names
/// it. Meanwhile hooks and workers configured with another store spool their events and import
/// none, so that nothing is written to the store after the copy read it.
public struct StoreMigration: Codable, Sendable, Equatable {
    public enum Phase: String, Codable, Sendable { case copying, copied }
    public var phase: Phase
    /// The store copied and the copy: a PostgreSQL URL (never with a password) or a SQLite file.
    public var from: String
    public var to: String
    /// The `migrate-store` process.
    public var host: String
    public var pid: Int32
    public var startedAt: Date

    public init(phase: Phase, from: String, to: String, host: String, pid: Int32, startedAt: Date) {
        self.phase = phase; self.from = from; self.to = to; self.host = host; self.pid = pid; self.startedAt = startedAt
    }

    /// Whether events meant for `store` (`StoreSettings.name`) wait in the spool: always while the
    /// copy is made, then until the configuration names the copy (however its URL is spelled:
    /// `StoreIdentity`).
    public func holdsBack(_ store: String, defaults: StoreIdentity.Defaults = .init()) -> Bool {
        !(phase == .copied && StoreIdentity.same(to, store, defaults: defaults))
    }

    /// What `status` and `check-config` say about the marker at `file` (`migration` nil: it cannot be
    /// read), with `configured` the store the configuration names and `live` whether the process
    /// still holds the marker; nil once the copy is configured (`defaults`: libpq's, for the URLs).
    public static func statusItem(_ migration: StoreMigration?, file: String, live: Bool, configured: String,
                                  defaults: StoreIdentity.Defaults = .init()) -> StatusItem? {
        let spooling = "hooks and workers configured with another store spool every event until then"
        guard let migration else {
            return StatusItem(kind: .storeMigration, summary: "\(file) cannot be read: \(spooling)", needsPerson: true,
                              command: "remove \(file) once no `wptsync migrate-store` runs; the spool is imported then")
        }
        guard migration.holdsBack(configured, defaults: defaults) else { return nil }
        let process = "migrate-store (pid \(migration.pid) on \(migration.host))"
        let copy = "\(migration.from) into \(migration.to)"
        let configure = migration.to.hasPrefix("postgres") ? "set `[store] url = \"\(migration.to)\"`" : "remove `[store] url`"
        let stay = "or remove \(file) to stay on \(migration.from)"
        switch migration.phase {
        case .copying where live:
            return StatusItem(kind: .storeMigration, summary: "\(process) is copying \(copy): \(spooling)", since: migration.startedAt,
                              needsPerson: false, command: "once it is done, \(configure)")
        case .copying:
            return StatusItem(kind: .storeMigration, summary: "\(process) stopped before it finished copying \(copy) (\(file) is left): \(spooling)",
                              since: migration.startedAt, needsPerson: true,
                              command: "run `wptsync migrate-store` again (it removes \(file)), \(stay)")
        case .copied:
            let differ = "the marker names \(migration.to), the configuration \(configured): not the same store"
            return StatusItem(kind: .storeMigration, summary: "\(process) copied \(copy): \(spooling) (\(file)); \(differ)", since: migration.startedAt,
                              needsPerson: true, command: "\(configure): the spool is imported into it; \(stay)")
        }
    }
}
