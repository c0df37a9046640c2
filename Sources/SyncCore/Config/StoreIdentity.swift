import Foundation

/// Which store a name (`StoreSettings.name`, or what a `migrate-store` marker says it copied) is:
/// PostgreSQL URLs spelled differently can name the same database.
public enum StoreIdentity {
    /// What libpq takes for a part a URL leaves out: `PGUSER` or the OS user, `PGHOST` (none: the
    /// Unix socket, ""), `PGPORT` or 5432, `PGDATABASE` or the user. Read by the caller
    /// (`init(environment:osUser:)`), so that the keys stay a pure function.
    public struct Defaults: Sendable, Equatable {
        public var user: String
        public var host: String
        public var port: String
        public var database: String?

        public init(user: String = "", host: String = "", port: String = "5432", database: String? = nil) {
            self.user = user; self.host = host; self.port = port; self.database = database
        }

        /// libpq's defaults in a process with `environment` run by `osUser`.
        public init(environment: [String: String], osUser: String) {
            self.init(user: environment["PGUSER"] ?? osUser, host: environment["PGHOST"] ?? "", port: environment["PGPORT"] ?? "5432",
                      database: environment["PGDATABASE"])
        }
    }

    /// What names the store `name` is: for a PostgreSQL URL its user, host (lower case), port and
    /// database, a part left out being libpq's default (`defaults`), whether the scheme is
    /// `postgres` or `postgresql` and whichever other query parameters it has (`host`, `port`,
    /// `user` and `dbname` there count); never a password. Anything else (a SQLite file) is taken as it is.
    public static func key(_ name: String, defaults: Defaults = Defaults()) -> String {
        guard let parts = URLComponents(string: name), ["postgres", "postgresql"].contains(parts.scheme?.lowercased() ?? "") else {
            return name
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }) { first, _ in first }
        func given(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
        let user = given(query["user"]) ?? given(parts.user) ?? defaults.user
        let host = (given(query["host"]) ?? given(parts.host) ?? defaults.host).lowercased()
        let port = given(query["port"]) ?? parts.port.map(String.init) ?? defaults.port
        let database = given(query["dbname"]) ?? given(String(parts.path.drop { $0 == "/" })) ?? defaults.database ?? user
        return "postgresql://\(user)@\(host):\(port)/\(database)"
    }

    /// Whether `a` and `b` name the same store (`key`).
    public static func same(_ a: String, _ b: String, defaults: Defaults = Defaults()) -> Bool {
        key(a, defaults: defaults) == key(b, defaults: defaults)
    }
}
