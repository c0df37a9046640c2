/// Where the event journal lives.
public struct StoreSettings: Sendable, Equatable {
    /// The SQLite database file.
    public var path: String
    /// The append-only file a hook writes to when the database cannot be written.
    public var spool: String
    /// How long a hook waits for a locked database before spilling to the spool.
    public var busyTimeoutMilliseconds: Int
    /// `[store] url`: the event journal is in this PostgreSQL database instead of the SQLite file
    /// (the other records stay in the SQLite file for now).
    public var postgres: PostgresStoreSettings?

    /// The FIFO beside the database through which a hook that recorded an event wakes a waiting worker.
    public var wakePath: String { path + ".wake" }

    /// The file `wptsync migrate-store` keeps beside the database while it copies the store (`StoreMigration`).
    public var migrationMarkerPath: String { path + ".migrate-store" }

    /// The store events go to: the PostgreSQL URL, else the SQLite file.
    public var name: String { postgres?.url ?? path }

    public init(path: String, spool: String? = nil, busyTimeoutMilliseconds: Int = 250) {
        self.path = path
        self.spool = spool ?? path + ".spool"
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}

/// `[store] url = "postgresql://user@host:port/db"` and how to connect to it.
public struct PostgresStoreSettings: Sendable, Equatable {
    /// The URL, never with a password; query parameters such as `sslmode` are passed to libpq.
    public var url: String
    /// Where the password is read (`password_file`, or the environment variable `WPTSYNC_STORE_PASSWORD`
    /// when it is set).
    public var password: SecretSource = .environment(PostgresStoreSettings.passwordVariable)
    /// How long a hook may take to connect before it spools the event (`connect_timeout_s`; libpq's least is 2).
    public var connectTimeoutSeconds = 2
    /// The longest a hook's statement may run before it spools the event (`statement_timeout_ms`).
    public var statementTimeoutMilliseconds = 2_000
    /// The longest a worker's or command's statement may run (`worker_statement_timeout_ms`): past it
    /// and a second more without an answer, the server is taken as unreachable and the worker waits
    /// for it, as it does for a refused connection.
    public var workerStatementTimeoutMilliseconds = 60_000

    public static let passwordVariable = "WPTSYNC_STORE_PASSWORD"

    public init(url: String) { self.url = url }
}
