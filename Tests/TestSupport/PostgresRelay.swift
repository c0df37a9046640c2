#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A relay on 127.0.0.1 in front of a PostgreSQL server that passes every byte through and counts
/// what a slow link would cost: the client's turns (each time it speaks after the server did, one
/// network round trip) and the TLS or GSSAPI encryption requests that open a connection.
public final class PostgresRelay: @unchecked Sendable {
    /// The relay's port on 127.0.0.1.
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var sockets: [Int32] = []
    /// Per connection (by its client socket), how many of its two directions still relay.
    private var openDirections: [Int32: Int] = [:]
    private var turnCount = 0
    private var encryptionRequestCount = 0
    private var clientSpokeLast = false

    /// Relays to the server listening on 127.0.0.1 at `serverPort`.
    public init(to serverPort: UInt16) throws {
        let (listener, port) = try listenOnLoopback()
        self.listener = listener
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { close(listener); return }
                let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var target = loopbackAddress(port: serverPort)
                let connected = withUnsafePointer(to: &target) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
                guard connected else { close(client); close(server); continue }
                lock.withLock { sockets += [client, server]; openDirections[client] = 2 }
                Thread.detachNewThread { self.pass(from: client, to: server, fromClient: true, pair: client) }
                Thread.detachNewThread { self.pass(from: server, to: client, fromClient: false, pair: client) }
            }
        }
    }

    /// `url` (a `postgresql://` URL on 127.0.0.1) sent through this relay instead.
    public func url(_ url: String) -> String {
        url.replacingOccurrences(of: #"@127\.0\.0\.1:\d+/"#, with: "@127.0.0.1:\(port)/", options: .regularExpression)
    }

    /// How many times a client spoke after the server had (or first), over all connections.
    public var turns: Int { lock.withLock { turnCount } }

    /// How many connections began by asking for TLS (SSLRequest) or GSSAPI encryption (GSSENCRequest).
    public var encryptionRequests: Int { lock.withLock { encryptionRequestCount } }

    /// Relays one direction; the second direction to end closes both sockets of the connection
    /// (`pair` names it), so that no descriptor is closed while the other thread still uses it.
    private func pass(from source: Int32, to destination: Int32, fromClient: Bool, pair: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var first = true
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            lock.withLock {
                if fromClient {
                    if !clientSpokeLast { turnCount += 1 }
                    // SSLRequest and GSSENCRequest: length 8, then 80877103 or 80877104.
                    if first, count >= 8, buffer[0..<7] == [0, 0, 0, 8, 0x04, 0xd2, 0x16], buffer[7] == 0x2f || buffer[7] == 0x30 {
                        encryptionRequestCount += 1
                    }
                }
                clientSpokeLast = fromClient
            }
            first = false
            var sent = 0
            while sent < count {
                let n = buffer[sent..<count].withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { break }
                sent += n
            }
        }
        shutdown(destination, Int32(SHUT_WR))
        let last = lock.withLock { () -> Bool in
            openDirections[pair, default: 1] -= 1
            guard openDirections[pair] == 0 else { return false }
            openDirections[pair] = nil
            sockets.removeAll { $0 == source || $0 == destination }
            return true
        }
        if last { close(source); close(destination) }
    }

    /// Ends the listener and every relayed connection; their threads close the descriptors.
    public func stop() {
        let open = lock.withLock { sockets }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }
}
