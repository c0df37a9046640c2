#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A PostgreSQL server that lets clients connect (no TLS, no password) and then never answers a
/// statement, like a server that froze or was cut off after the connection was made. On 127.0.0.1;
/// its connections stay open until `stop`.
public final class SilentPostgres: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var clients: [Int32] = []
    private var stopped = false

    public init() throws {
        let (listener, port) = try listenOnLoopback()
        self.listener = listener
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                let kept = lock.withLock { stopped ? false : { clients.append(client); return true }() }
                guard kept else { close(client); return }
                Thread.detachNewThread { Self.greet(client) }
            }
        }
    }

    /// `postgresql://silent@127.0.0.1:port/database`.
    public var url: String { "postgresql://silent@127.0.0.1:\(port)/silent" }

    /// Declines TLS and GSS encryption, accepts the start-up message, reports ready, then reads what
    /// the client sends and answers nothing.
    private static func greet(_ client: Int32) {
        while let length = readInt32(client), length >= 8, let code = readInt32(client) {
            if code == 80_877_103 || code == 80_877_104 {  // SSLRequest, GSSENCRequest
                _ = send(client, "N", 1, Int32(MSG_NOSIGNAL))
                continue
            }
            var rest = [UInt8](repeating: 0, count: Int(length) - 8)
            guard rest.isEmpty || recv(client, &rest, rest.count, Int32(MSG_WAITALL)) == rest.count else { return }
            let ready: [UInt8] = [UInt8(ascii: "R"), 0, 0, 0, 8, 0, 0, 0, 0, UInt8(ascii: "Z"), 0, 0, 0, 5, UInt8(ascii: "I")]
            _ = send(client, ready, ready.count, Int32(MSG_NOSIGNAL))
            break
        }
        var sink = [UInt8](repeating: 0, count: 4096)
        while recv(client, &sink, sink.count, 0) > 0 {}
    }

    private static func readInt32(_ fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 4)
        guard recv(fd, &bytes, 4, Int32(MSG_WAITALL)) == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | Int32($1) }
    }

    /// Closes the listener and every connection.
    public func stop() {
        let open = lock.withLock { () -> [Int32] in
            defer { clients = []; stopped = true }
            return stopped ? [] : clients + [listener]
        }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    deinit { stop() }
}
