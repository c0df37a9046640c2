import Foundation

/// Which store a name (`StoreSettings.name`, or what a `migrate-store` marker says it copied) is:
/// PostgreSQL URLs spelled differently can name the same database.
public enum StoreIdentity {
    /// What names the store `name` is: for a PostgreSQL URL its user, host (lower case), port (5432
    /// when not given) and database, whether the scheme is `postgres` or `postgresql` and whichever
    /// other query parameters it has (`host`, `port`, `user` and `dbname` there count); never a
    /// password. Anything else (a SQLite file) is taken as it is.
    public static func key(_ name: String) -> String {
        guard let parts = URLComponents(string: name), ["postgres", "postgresql"].contains(parts.scheme?.lowercased() ?? "") else {
            return name
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }) { first, _ in first }
        let host = (query["host"] ?? parts.host ?? "").lowercased()
        let port = query["port"] ?? parts.port.map(String.init) ?? "5432"
        let database = query["dbname"] ?? String(parts.path.drop { $0 == "/" })
        return "postgresql://\(query["user"] ?? parts.user ?? "")@\(host):\(port)/\(database)"
    }

    /// Whether `a` and `b` name the same store (`key`).
    public static func same(_ a: String, _ b: String) -> Bool { key(a) == key(b) }
}
