#if canImport(Glibc)
import Glibc
#endif
import CPostgres

/// How to reach a PostgreSQL server: a `postgresql://` URL without a password (the password comes
/// from the environment or a file, `[store]`), and the timeouts a caller can afford.
public struct PostgresParameters: Sendable, Equatable {
    /// `postgresql://user@host:port/database`, query parameters (`sslmode`, …) passed to libpq as given.
    public var url: String
    /// The password (from `[store] password_file` or the environment), never in `url`.
    public var password: String?
    /// How long connecting may take; libpq's smallest is 2 seconds.
    public var connectTimeoutSeconds: Int
    /// The longest a statement may run before the server cancels it; nil for no limit.
    public var statementTimeoutMilliseconds: Int?
    /// How long to wait for the server's answer before giving it up as unreachable (a server that
    /// froze or was cut off after the connection was made never answers): a second more than the
    /// statement timeout, so that the server's own cancellation normally comes first; nil to wait.
    public var answerTimeoutMilliseconds: Int? { statementTimeoutMilliseconds.map { $0 + 1_000 } }

    /// Parameters for `url`; `statementTimeoutMilliseconds` nil: no limit.
    public init(url: String, password: String? = nil, connectTimeoutSeconds: Int = 10, statementTimeoutMilliseconds: Int? = nil) {
        self.url = url; self.password = password
        self.connectTimeoutSeconds = connectTimeoutSeconds; self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }
}

/// Printed, logged or dumped, the parameters never show the password, only whether there is one.
extension PostgresParameters: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "PostgresParameters(url: \(url), password: \(password == nil ? "none" : "<redacted>"), connectTimeoutSeconds: \(connectTimeoutSeconds), "
            + "statementTimeoutMilliseconds: \(statementTimeoutMilliseconds.map(String.init) ?? "none"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["url": url, "password": password == nil ? "none" : "<redacted>", "connectTimeoutSeconds": connectTimeoutSeconds,
                                "statementTimeoutMilliseconds": statementTimeoutMilliseconds as Any], displayStyle: .struct)
    }
}

extension PostgresParameters {
    /// libpq's connection keywords and their values. A server on this machine is reached without
    /// trying TLS first (`sslmode=allow`: TLS only if the server insists) nor GSSAPI encryption
    /// (`gssencmode=disable`), unless the URL or libpq's environment (`PGSSLMODE`, `PGGSSENCMODE`)
    /// says otherwise: the link never leaves the machine, and each attempt costs a hook a round
    /// trip, or a whole TLS handshake where the server offers TLS.
    func keywords(_ pq: LibPQ) -> (keywords: [String], values: [String]) {
        var keywords = ["dbname", "connect_timeout", "application_name", "client_encoding"]
        var values: [String] = [url, String(connectTimeoutSeconds), "wptsync", "UTF8"]
        if let password { keywords.append("password"); values.append(password) }
        if let timeout = statementTimeoutMilliseconds {
            keywords.append("options"); values.append("-c statement_timeout=\(timeout)")
        }
        let given = Self.options(of: url, pq)
        let variables: [String: String] = ["sslmode": "PGSSLMODE", "gssencmode": "PGGSSENCMODE"]
        let environment = variables.compactMapValues { (name: String) -> String? in getenv(name).map { String(cString: $0) } }
        for (keyword, value) in Self.loopbackEncryption(given.merging(environment) { url, _ in url }) {
            keywords.append(keyword); values.append(value)
        }
        return (keywords, values)
    }

    /// The encryption settings to add to a connection whose `given` options (libpq keyword to value,
    /// from the URL and the environment) are these: none unless every host is a loopback address.
    static func loopbackEncryption(_ given: [String: String]) -> [(String, String)] {
        let hosts = (given["hostaddr"] ?? given["host"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
        guard !hosts.isEmpty, hosts.allSatisfy({ isLoopback(String($0)) }) else { return [] }
        return [("sslmode", "allow"), ("gssencmode", "disable")].filter { given[$0.0] == nil }
    }

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or ::1 (not a name that merely
    /// starts with "127.").
    static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return host == "localhost"
    }

    /// The options `url` sets explicitly, as libpq reads them; empty when it cannot be read (then
    /// connecting reports why).
    private static func options(of url: String, _ pq: LibPQ) -> [String: String] {
        guard let parsed = pq.PQconninfoParse(url, nil) else { return [:] }
        defer { pq.PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return options
    }
}
