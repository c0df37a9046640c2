#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps

/// A throw-away PostgreSQL cluster (Debian's `postgresql-15`, which `scripts/bootstrap` installs):
/// `initdb` into a temporary folder, the server on 127.0.0.1 at a free port, trust authentication
/// for the superuser `wptsync`, no Unix socket. PostgreSQL refuses to run as root, so when the
/// tests run as root (CI's containers do) the cluster belongs to, and runs as, the `postgres`
/// user (or `nobody`), through `runuser`. Stopped when released or, for `shared`, at exit.
public final class PostgresCluster: @unchecked Sendable {
    public let dir: TempDir
    public let port: UInt16
    /// The address clients use: 127.0.0.1, or the one given to `init(address:)`.
    public let address: String
    private var data: String { dir.sub("data") }
    private let lock = NSLock()
    private var databases = 0

    /// The server binaries, or nil when PostgreSQL is not installed.
    public static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl") }
    }()

    /// Why PostgreSQL tests are skipped here, or nil when they can run.
    public static var unavailableReason: String? {
        binaries == nil ? "PostgreSQL is not installed (scripts/bootstrap installs postgresql-15): the PostgreSQL journal tests are skipped" : nil
    }

    /// One cluster for the whole test run; each test makes its own database in it (`createDatabase`).
    public static let shared: PostgresCluster? = {
        guard binaries != nil else { return nil }
        let cluster = try? PostgresCluster()
        if let cluster {
            sharedForExit = cluster
            atexit {
                guard let cluster = PostgresCluster.sharedForExit else { return }
                cluster.stop()
                try? FileManager.default.removeItem(atPath: cluster.dir.path)
            }
        }
        return cluster
    }()
    nonisolated(unsafe) private static var sharedForExit: PostgresCluster?

    /// `address`: a local address of a test's own network (`WorkerMachines.serverAddress`) to listen
    /// on as well as loopback, trusting clients of its /24.
    public init(address: String? = nil) throws {
        self.address = address ?? "127.0.0.1"
        guard let bin = Self.binaries else { throw PostgresClusterError("PostgreSQL is not installed") }
        dir = TempDir("pg")
        if geteuid() == 0 {
            guard let owner = ["postgres", "nobody"].lazy.compactMap({ (name: String) in getpwnam(name)?.pointee }).first else {
                throw PostgresClusterError("running as root and there is neither a postgres nor a nobody user to run PostgreSQL as")
            }
            guard chown(dir.path, owner.pw_uid, owner.pw_gid) == 0 else { throw PostgresClusterError("chown \(dir.path): \(String(cString: strerror(errno)))") }
        }
        try Self.run(bin + "/initdb", ["-D", dir.sub("data"), "-U", "wptsync", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], in: dir.path)
        // The role `guarded` must give its password (`guardedPassword`); every other connects freely.
        let network = address.map { "host all all \($0)/24 trust\n" } ?? ""
        try writeFile(dir.sub("data/pg_hba.conf"), "host all \(Self.guardedUser) 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n" + network)
        port = try Slapd.freePort()
        try start()
        _ = try ProcessRunner.check(bin + "/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "wptsync", "-d", "postgres", "-q", "-c",
                                                    "CREATE ROLE \(Self.guardedUser) LOGIN SUPERUSER PASSWORD '\(Self.guardedPassword)'"])
    }

    /// A role that authenticates with `guardedPassword`.
    public static let guardedUser = "guarded"
    public static let guardedPassword = "pw-9f3c1e7a"

    /// Starts the server (again, after `stop`) on the same port.
    public func start() throws {
        guard let bin = Self.binaries else { return }
        try Self.run(bin + "/pg_ctl", ["-D", data, "-l", dir.sub("server.log"), "-w", "-t", "60", "-o",
                                       "-p \(port) -c listen_addresses=127.0.0.1\(address == "127.0.0.1" ? "" : "," + address) -c unix_socket_directories= -c fsync=off -c max_connections=200",
                                       "start"], in: dir.path)
    }

    /// Stops the server at once: clients are cut off and new connections refused until `start`.
    public func stop() {
        guard let bin = Self.binaries else { return }
        _ = try? Self.run(bin + "/pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], in: dir.path)
    }

    deinit { stop() }

    /// A new, empty database; its URL (user `wptsync`, no password).
    public func createDatabase() throws -> String {
        let name = lock.withLock { databases += 1; return "test_\(getpid())_\(databases)" }
        guard let bin = Self.binaries else { throw PostgresClusterError("PostgreSQL is not installed") }
        _ = try ProcessRunner.check(bin + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "wptsync", name])
        return url(name)
    }

    public func url(_ database: String) -> String { "postgresql://wptsync@\(address):\(port)/\(database)" }

    /// Runs a server program, as the cluster's owner when the tests run as root.
    private static func run(_ program: String, _ arguments: [String], in directory: String) throws {
        if geteuid() == 0 {
            let owner = getpwnam("postgres") != nil ? "postgres" : "nobody"
            _ = try ProcessRunner.check("/usr/sbin/runuser", ["-u", owner, "--", program] + arguments, in: directory)
        } else {
            _ = try ProcessRunner.check(program, arguments, in: directory)
        }
    }
}

public struct PostgresClusterError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
