import Foundation
import Glibc  // Linux sockets; the project targets Debian.

/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) for tests. It answers each connection with
/// the next scripted reply, then closes it, and records every request. One connection at a time.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as the server read it.
    public struct Request: Sendable {
        public var method: String
        /// Path and query, as in the request line.
        public var path: String
        /// Header fields in order, names as sent.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first value of header `name`, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What to answer to the next connection.
    public enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: String = "")
        /// Read the request and never answer (until the server stops).
        case hang

        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    public let port: UInt16
    /// `http://127.0.0.1:<port>`, no trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    // The serving thread holds `core`, not `self`, so that dropping the server stops it.
    private let core: Core

    /// Binds 127.0.0.1 on a port chosen by the system and starts serving on a background thread.
    public init() throws {
        // Close-on-exec: a process the tests spawn meanwhile must not inherit (and keep open) a socket.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw LoopbackServerError("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { let code = errno; close(listener); throw LoopbackServerError("bind", code) }
        port = UInt16(bigEndian: address.sin_port)
        core = Core(listener: listener)
        Thread { [core] in core.serve() }.start()
    }

    deinit { stop() }

    /// Appends replies to the script, answered in order.
    public func enqueue(_ replies: Reply...) {
        core.lock.withLock { core.replies += replies }
    }

    /// The requests received so far, in order.
    public var requests: [Request] { core.lock.withLock { core.recorded } }

    /// Stops serving and closes every socket. Idempotent.
    public func stop() { core.stop() }
}

/// The server's state, shared between the test and the serving thread under `lock`.
private final class Core: @unchecked Sendable {
    typealias Request = LoopbackHTTPServer.Request
    typealias Reply = LoopbackHTTPServer.Reply

    let listener: Int32
    let lock = NSLock()
    var replies: [Reply] = []
    var recorded: [Request] = []
    var hanging: [Int32] = []
    var stopping = false
    let finished = DispatchSemaphore(value: 0)

    init(listener: Int32) { self.listener = listener }

    func stop() {
        let (alreadyStopping, open) = lock.withLock {
            defer { stopping = true; hanging = [] }
            return (stopping, hanging)
        }
        guard !alreadyStopping else { return }
        open.forEach { close($0) }
        finished.wait()
        close(listener)
    }

    func serve() {
        defer { finished.signal() }
        while !lock.withLock({ stopping }) {
            // Poll so that `stop` is noticed within 50 ms without closing a socket under accept.
            var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pending, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)  // (accept4 is not imported)
            // A client that never sends its request must not block the server forever.
            var patience = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
            handle(connection)
        }
    }

    func handle(_ connection: Int32) {
        guard let request = readRequest(connection) else { close(connection); return }
        let reply = lock.withLock {
            recorded.append(request)
            return replies.isEmpty ? Reply.respond(status: 500, body: "no scripted reply") : replies.removeFirst()
        }
        switch reply {
        case .hang:
            let stillServing = lock.withLock {
                if !stopping { hanging.append(connection) }
                return !stopping
            }
            if !stillServing { close(connection) }
        case let .respond(status, headers, body):
            var head = "HTTP/1.1 \(status) Scripted\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array(head.utf8) + Array(body.utf8)
            _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    /// Reads the head up to the blank line, then `Content-Length` bytes of body.
    func readRequest(_ connection: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var request: Request?
        while true {
            if headEnd == nil, let end = data.firstRange(of: separator)?.upperBound {
                headEnd = end
                request = parseHead(Array(data[..<end]))
            }
            if let headEnd, let parsed = request {
                let length = parsed.header("Content-Length").flatMap(Int.init) ?? 0
                if data.count - headEnd >= length {
                    request?.body = Array(data[headEnd..<(headEnd + length)])
                    return request
                }
            }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data += buffer[..<count]
        }
    }

    func parseHead(_ head: [UInt8]) -> Request? {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: [])
    }
}

/// A socket call failed while starting the server.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ call: String, _ code: Int32) { description = "\(call) failed: \(String(cString: strerror(code)))" }
}
