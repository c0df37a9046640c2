import Foundation

/// Names a worker as `host:pid`, so a worker can tell that another on the same host has died.
public struct WorkerIdentity: Sendable, Equatable {
    public var host: String
    public var pid: Int32

    public var name: String { "\(host):\(pid)" }

    public init(host: String, pid: Int32) { self.host = host; self.pid = pid }

    public init?(name: String) {
        guard let colon = name.lastIndex(of: ":"), let pid = Int32(name[name.index(after: colon)...]) else { return nil }
        self.init(host: String(name[..<colon]), pid: pid)
    }

    public static var current: WorkerIdentity {
        WorkerIdentity(host: ProcessInfo.processInfo.hostName, pid: getpid())
    }

    var isAlive: Bool { kill(pid, 0) == 0 || errno == EPERM }
}
