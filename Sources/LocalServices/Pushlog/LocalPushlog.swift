import Foundation
import Synchronization

/// A local stand-in for hg.mozilla.org's pushlog, for tests, the demo and benchmarks: an HTTP/1.1
/// server on 127.0.0.1 answering `GET …/json-pushes?version=2` from a real Mercurial repository,
/// with the documented JSON shape, status codes and `Content-Type`.
///
/// Pushes are recorded by a `changegroup.localpushlog` hook that `init` adds to the repository's
/// `.hg/hgrc` (one line per push in `.hg/localpushlog`: first node, last node, time, user), or by
/// `recordPush`. Pushes made before the server was set up are not in its log. Push ids count from 1.
///
/// The repository URL to give a client is `repositoryURL`; any path ending in `/json-pushes` is served.
public final class LocalPushlog: Sendable {
    /// The Mercurial repository whose pushes are served.
    public let repositoryPath: String
    public let port: UInt16
    /// `http://127.0.0.1:<port>`; the pushlog is at `<repositoryURL>/json-pushes`.
    public var repositoryURL: String { "http://127.0.0.1:\(port)" }

    private let service: PushlogService
    private let server: LoopbackServer

    /// Starts serving the pushlog of the repository at `repositoryPath`.
    /// - Parameter installHook: adds the hook that records every later push (idempotent);
    ///   without it, call `recordPush` after each push.
    public init(repositoryPath: String, installHook: Bool = true, port: UInt16 = 0) throws(LocalServiceError) {
        let log = PushFile(path: repositoryPath + "/.hg/localpushlog")
        if installHook { try log.installHook(hgrc: repositoryPath + "/.hg/hgrc") }
        let service = try PushlogService(repositoryPath: repositoryPath, log: log)
        server = try LoopbackServer(port: port) { service.handle($0) }
        self.repositoryPath = repositoryPath
        self.port = server.port
        self.service = service
    }

    deinit { server.stop() }

    /// Stops the server: ends hanging requests and waits for every connection thread. Idempotent.
    public func stop() { server.stop() }

    /// Records a push of revisions `firstNode` to `lastNode` (in revision order) by `user`, as the
    /// hook does; returns its push id.
    @discardableResult
    public func recordPush(firstNode: String, lastNode: String, user: String = "test@example.com",
                           date: Int64 = Int64(Date().timeIntervalSince1970)) throws(LocalServiceError) -> Int {
        try service.log.append(PushFile.Entry(firstNode: firstNode, lastNode: lastNode, date: date, user: user))
    }

    /// The pushes recorded so far, oldest first (push id = index + 1).
    public var pushes: [PushFile.Entry] { (try? service.log.entries()) ?? [] }

    /// Makes the next `count` requests fail with `fault`: `.hang` leaves them unanswered, the
    /// others answer their status (rate limits answer 429 with `retry-after`).
    public func injectFault(_ fault: Fault, count: Int = 1) {
        service.faults.withLock { $0 += Array(repeating: fault, count: count) }
    }

    /// Every request received so far, in order, with the status answered.
    public var requests: [RecordedRequest] { service.requests.withLock { $0 } }
}

/// The file the hook appends to: one line per push, `<first node> <last node> <epoch> <user>`.
public struct PushFile: Sendable {
    /// One recorded push.
    public struct Entry: Sendable, Equatable {
        public var firstNode: String
        public var lastNode: String
        public var date: Int64
        public var user: String
    }

    let path: String

    static let marker = ("# >>> localpushlog >>>", "# <<< localpushlog <<<")

    /// Appends the hook to `hgrc` unless it is there already.
    func installHook(hgrc: String) throws(LocalServiceError) {
        let existing = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
        guard !existing.contains(Self.marker.0) else { return }
        let line = #"echo "$HG_NODE ${HG_NODE_LAST:-$HG_NODE} $(date +%s) ${REMOTE_USER:-${USER:-unknown}}" >> .hg/localpushlog"#
        let block = "\n\(Self.marker.0)\n[hooks]\nchangegroup.localpushlog = \(line)\n\(Self.marker.1)\n"
        do {
            try Data((existing + block).utf8).write(to: URL(fileURLWithPath: hgrc))
        } catch {
            throw .io("cannot write \(hgrc): \(error)")
        }
    }

    /// The pushes in order; a missing file is an empty log.
    func entries() throws(LocalServiceError) -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { (index, line) throws(LocalServiceError) in
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count >= 3, let date = Int64(fields[2]) else {
                throw .io("\(path):\(index + 1): expected \"<first> <last> <epoch> <user>\"")
            }
            return Entry(firstNode: String(fields[0]), lastNode: String(fields[1]), date: date,
                         user: fields.count > 3 ? String(fields[3]) : "")
        }
    }

    /// Appends `entry`; returns its push id.
    func append(_ entry: Entry) throws(LocalServiceError) -> Int {
        let line = "\(entry.firstNode) \(entry.lastNode) \(entry.date) \(entry.user)\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = Array(line.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.utf8.count else { throw .io("cannot append to \(path)") }
        return try entries().count
    }
}
