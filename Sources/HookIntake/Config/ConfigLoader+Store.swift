import Foundation
import SyncCore

extension ConfigLoader {
    /// `[store]`: the SQLite file (default `wptsync.sqlite`), the spool, the busy timeout and PostgreSQL's settings.
    static func readStore(_ reader: TableReader?, resolve: (String) -> String) throws(ConfigError) -> StoreSettings {
        var store = StoreSettings(path: try reader?.nonEmptyString("path").map(resolve) ?? resolve("wptsync.sqlite"),
                                  spool: try reader?.nonEmptyString("spool").map(resolve),
                                  busyTimeoutMilliseconds: try reader?.integer("busy_timeout_ms", in: Ranges.busyTimeoutMilliseconds) ?? 250)
        store.postgres = try reader.flatMap { reader throws(ConfigError) in try readPostgres(reader, resolve: resolve) }
        try reader?.rejectUnknownKeys()
        return store
    }

    /// `[store] url` and its connection settings; nil when no URL is given.
    static func readPostgres(_ reader: TableReader, resolve: (String) -> String) throws(ConfigError) -> PostgresStoreSettings? {
        guard let url = try reader.nonEmptyString("url") else {
            for key in ["password_file", "connect_timeout_s", "statement_timeout_ms", "worker_statement_timeout_ms"] where reader.table[key] != nil {
                throw .invalid(file: reader.file, key: reader.name(key), reason: "is set without `\(reader.name("url"))`")
            }
            return nil
        }
        if let problem = postgresURLProblem(url, passwordSetting: "`\(reader.name("password_file"))`") {
            throw .invalid(file: reader.file, key: reader.name("url"), reason: problem)
        }
        var settings = PostgresStoreSettings(url: url)
        if let file = try reader.nonEmptyString("password_file") { settings.password = .file(resolve(file)) }
        settings.connectTimeoutSeconds = try reader.integer("connect_timeout_s", in: Ranges.connectTimeoutSeconds) ?? settings.connectTimeoutSeconds
        settings.statementTimeoutMilliseconds = try reader.integer("statement_timeout_ms", in: Ranges.statementTimeoutMilliseconds)
            ?? settings.statementTimeoutMilliseconds
        settings.workerStatementTimeoutMilliseconds = try reader.integer("worker_statement_timeout_ms", in: Ranges.statementTimeoutMilliseconds)
            ?? settings.workerStatementTimeoutMilliseconds
        return settings
    }

    /// What is wrong with `url` as a PostgreSQL store's URL, if anything (never repeating a password it holds);
    /// `passwordSetting` names where a password belongs besides the environment variable.
    public static func postgresURLProblem(_ url: String, passwordSetting: String) -> String? {
        guard let parts = URLComponents(string: url), ["postgresql", "postgres"].contains(parts.scheme ?? "") else {
            return "is \"\(Redactor.url(url))\": expected postgresql://user@host:port/database"
        }
        let passwordItem = parts.queryItems?.first { ["password", "sslpassword"].contains($0.name.lowercased()) }
        if parts.password != nil || passwordItem != nil {
            let which = passwordItem.map { " (`\($0.name)=`)" } ?? ""
            return "holds a password\(which): put it in \(PostgresStoreSettings.passwordVariable) or \(passwordSetting) instead"
        }
        guard let host = parts.host, !host.isEmpty, parts.path.count > 1 else {
            return "is \"\(url)\": it must name the host and the database (postgresql://user@host:port/database)"
        }
        return nil
    }
}
