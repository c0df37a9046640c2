import ArgumentParser
import Foundation
import HookIntake
import Store
import SyncCore

struct MigrateStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the SQLite store at `[store] path` into an empty PostgreSQL database (--to), or one back into a new SQLite file (--from).",
        discussion: """
            Stop the workers first: a running event refuses the copy. The copy is one transaction, checked table by table \
            (row count and digest) before it is committed. The password is read from \(PostgresStoreSettings.passwordVariable) \
            or --password-file. Hooks spool their events from the start of the copy (a marker beside `[store] path`) until \
            `[store] url` names the copy (or the copy fails): the store configured then imports them. Then set (or remove) \
            `[store] url` and start the workers again.
            """)
    @OptionGroup var options: GlobalOptions
    @Option(help: "Copy into this PostgreSQL database (at the current schema: `wptsync migrate`; empty).") var to: String?
    @Option(help: "Copy from this PostgreSQL database into a new SQLite file at `[store] path`.") var from: String?
    @Option(help: "A file holding the PostgreSQL password.") var passwordFile: String?

    func validate() throws {
        guard let url = to ?? from, (to == nil) != (from == nil) else { throw ValidationError("give exactly one of --to and --from") }
        if let problem = ConfigLoader.postgresURLProblem(url, passwordSetting: "--password-file") {
            throw ValidationError("--\(to == nil ? "from" : "to") \(problem)")
        }
    }

    func run() throws {
        let (config, _) = try options.load()
        var settings = PostgresStoreSettings(url: to ?? from ?? "")
        if let passwordFile { settings.password = .file(passwordFile) }
        let parameters = try JournalOpening.parameters(settings, role: .worker)
        let marker = StoreMigrationMarker(path: config.store.migrationMarkerPath)
        let (copied, replaced) = try marker.whileCopying(from: to != nil ? config.store.path : settings.url,
                                                         to: to != nil ? settings.url : config.store.path) { () throws(StoreError) in
            if to != nil { try StoreCopy.toPostgres(sqlitePath: config.store.path, parameters) }
            else { try StoreCopy.toSQLite(parameters, sqlitePath: config.store.path) }
        }
        if let replaced {
            print("replaced \(marker.path), left by migrate-store (pid \(replaced.pid) on \(replaced.host)) "
                  + (replaced.phase == .copied ? "after copying " : "that stopped copying ") + "\(replaced.from) into \(replaced.to)")
        }
        for table in copied { print("\(table.table): \(table.rows) row(s), checked") }
        print(to != nil ? "copied \(config.store.path) into \(settings.url): set `[store] url` to it and start the workers"
                        : "copied \(settings.url) into \(config.store.path): remove `[store] url` and start the workers")
        print("hooks keep pushes in the spool \(config.store.spool) until then; the store configured next imports them")
    }
}
