import Foundation
import Glibc  // Linux sockets; the project targets Debian.

/// A request as the server read it.
public struct ServerRequest: Sendable {
    public var method: String
    /// The path without the query, still percent-encoded.
    public var path: String
    /// Query parameters, percent-decoded; a name given twice keeps the last value.
    public var query: [String: String]
    /// Header fields in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension RecordedRequest {
    /// `request` as answered with `status` (0 when left hanging).
    init(_ request: ServerRequest, status: Int) {
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        self.init(method: request.method, path: request.path, query: request.query, status: status,
                  headers: headers, body: String(decoding: request.body, as: UTF8.self))
    }
}

/// What the handler wants sent back.
public enum ServerReply: Sendable {
    case respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// Send nothing and keep the connection open until the client gives up or the server stops.
    case hang
}

/// A minimal HTTP/1.1 server bound to 127.0.0.1 (or another local address a test chose). One thread accepts; each connection is
/// served on its own thread: one request, one reply, then the connection closes
/// (`Connection: close`). `stop()` closes the listener, wakes hanging connections and waits for
/// every connection thread to finish.
final class LoopbackServer: @unchecked Sendable {
    typealias Handler = @Sendable (ServerRequest) -> ServerReply

    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSCondition()
    private var stopping = false
    private var activeConnections = 0
    private var acceptLoopRunning = true

    /// Binds `host` (an IPv4 address of this machine) on `port` (0: a port the system chooses)
    /// and starts accepting.
    init(host: String = "127.0.0.1", port requestedPort: UInt16 = 0, handler: @escaping Handler) throws(LocalServiceError) {
        // Close-on-exec: a process the tests spawn meanwhile must not inherit (and keep open) a socket.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw .socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = requestedPort.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { let code = errno; close(listener); throw .socket("bind", code) }
        self.listener = listener
        self.handler = handler
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting, ends hanging connections and waits for all connection threads. Idempotent.
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while acceptLoopRunning || activeConnections > 0 { lock.wait() }
        lock.unlock()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        while !isStopping {
            // Poll so that `stop` is noticed quickly without closing a socket under `accept`.
            var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pending, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)  // (accept4 is not imported)
            lock.withLock { activeConnections += 1 }
            Thread { [self] in
                serve(connection)
                close(connection)
                lock.withLock { activeConnections -= 1; lock.broadcast() }
            }.start()
        }
        close(listener)
        lock.withLock { acceptLoopRunning = false; lock.broadcast() }
    }

    private func serve(_ connection: Int32) {
        guard let request = readRequest(connection) else { return }
        switch handler(request) {
        case .hang:
            // Wait until the client closes its end (a timeout on its side) or the server stops.
            while !isStopping && !waitForInput(connection, seconds: 1) {}
        case let .respond(status, headers, body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array(head.utf8) + (request.method == "HEAD" ? [] : body)
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { send(connection, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return }
                sent += n
            }
        }
    }

    /// Reads the head up to the blank line, then `Content-Length` bytes of body. Gives up after
    /// 10 s of silence, when the server stops, on a malformed head, or on a body over 10 MB.
    private func readRequest(_ connection: Int32) -> ServerRequest? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        let separator = Array("\r\n\r\n".utf8)
        var parsed: (request: ServerRequest, bodyStart: Int, length: Int)?
        while true {
            if parsed == nil, let end = data.firstRange(of: separator)?.upperBound {
                guard let request = Self.parseHead(data[..<end]) else { return nil }
                let length = request.header("Content-Length").flatMap(Int.init) ?? 0
                guard (0...10_000_000).contains(length) else { return nil }
                parsed = (request, end, length)
            }
            if let (request, start, length) = parsed, data.count - start >= length {
                var complete = request
                complete.body = Array(data[start..<(start + length)])
                return complete
            }
            guard waitForInput(connection, seconds: 10) else { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data += buffer[..<count]
        }
    }

    /// Waits in short slices, so that `stop` is noticed, until `connection` has data or is closed.
    private func waitForInput(_ connection: Int32, seconds: Int) -> Bool {
        for _ in 0..<(seconds * 20) where !isStopping {
            var pending = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            if poll(&pending, 1, 50) > 0 { return true }
        }
        return false
    }

    private static func parseHead(_ head: ArraySlice<UInt8>) -> ServerRequest? {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        let target = requestLine[1]
        let path = String(target.prefix { $0 != "?" })
        var query: [String: String] = [:]
        if let mark = target.firstIndex(of: "?") {
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ part: Substring) -> String {
                    part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
                }
                query[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
            }
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return ServerRequest(method: String(requestLine[0]), path: path, query: query, headers: headers, body: [])
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// Why a local service could not start or act.
public enum LocalServiceError: Error, Sendable, CustomStringConvertible {
    case socket(String, Int32)
    case git(String)
    case hg(String)
    case io(String)

    public var description: String {
        switch self {
        case let .socket(call, code): "\(call) failed: \(String(cString: strerror(code)))"
        case let .git(message): "git: \(message)"
        case let .hg(message): "hg: \(message)"
        case let .io(message): message
        }
    }
}
