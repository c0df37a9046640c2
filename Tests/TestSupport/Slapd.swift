#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps

/// A throw-away OpenLDAP `slapd` (Debian's) on 127.0.0.1, with its own configuration and an mdb
/// database loaded by `slapadd` from `ldif` under the suffix `dc=mozilla`. It runs as the test's
/// user (a port above 1024, files in a temporary folder) and is killed when released.
public final class Slapd: @unchecked Sendable {
    public let dir: TempDir
    public let port: UInt16
    public var url: String { "ldap://127.0.0.1:\(port)/" }
    public static let suffix = "dc=mozilla"
    private let process: RunningProcess

    /// Whether `slapd` and `slapadd` are installed (`scripts/bootstrap` installs them).
    public static var isInstalled: Bool {
        ["/usr/sbin/slapd", "/usr/sbin/slapadd", "/usr/bin/ldapsearch"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public init(ldif: String) throws {
        dir = TempDir("slapd")
        try FileManager.default.createDirectory(atPath: dir.sub("db"), withIntermediateDirectories: true)
        let config = dir.sub("slapd.conf")
        try writeFile(config, """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/nis.schema
            include /etc/ldap/schema/inetorgperson.schema
            pidfile \(dir.sub("slapd.pid"))
            modulepath /usr/lib/ldap
            moduleload back_mdb
            database mdb
            maxsize 10485760
            suffix "\(Self.suffix)"
            rootdn "cn=admin,\(Self.suffix)"
            directory \(dir.sub("db"))

            """)
        try writeFile(dir.sub("data.ldif"), ldif)
        _ = try ProcessRunner.check("/usr/sbin/slapadd", ["-f", config, "-l", dir.sub("data.ldif")])
        var started: (RunningProcess, UInt16)?
        for _ in 0..<10 where started == nil {
            let port = try Self.freePort()
            let process = try RunningProcess("/usr/sbin/slapd", ["-h", "ldap://127.0.0.1:\(port)/", "-f", config, "-d", "0"])
            if waitUntil(limit: 10, { !process.isRunning || Self.accepts(port) }), process.isRunning {
                started = (process, port)
            } else {
                process.send(SIGKILL); _ = process.waitForExit(limit: 5)
            }
        }
        guard let (process, port) = started else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "slapd did not start"]) }
        self.process = process
        self.port = port
    }

    /// Stops the server: later searches cannot connect.
    public func stop() {
        process.send(SIGKILL)
        _ = process.waitForExit(limit: 10)
    }

    deinit { stop() }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        return UInt16(bigEndian: address.sin_port)
    }

    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
