#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps

/// A long-running child (e.g. `wptsync worker`) whose output is collected in the background, so it
/// never blocks on a full pipe, and which the test can signal and wait for.
public final class RunningProcess: @unchecked Sendable {
    public let child: Child
    private let lock = NSLock()
    private let collected = Collected()
    private var exitStatus: Int32?

    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var bytes: [UInt8] = []
    }

    public init(_ executable: String, _ arguments: [String], in directory: String? = nil,
                extraEnvironment: [String: String] = [:]) throws {
        child = try Child.spawn(executable, arguments, in: directory, extraEnvironment: testEnvironment.merging(extraEnvironment) { $1 })
        close(child.stdin)
        startPumping([child.stdout, child.stderr])
    }

    private func startPumping(_ fds: [Int32]) {
        Thread.detachNewThread { [collected] in
            var open = fds
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !open.isEmpty {
                var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                if poll(&polled, nfds_t(polled.count), 100) < 0 && errno != EINTR { break }
                for entry in polled where entry.revents != 0 {
                    let n = read(entry.fd, &buffer, buffer.count)
                    if n > 0 {
                        collected.lock.withLock { collected.bytes += buffer[0..<n] }
                    } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(entry.fd)
                        open.removeAll { $0 == entry.fd }
                    }
                }
            }
        }
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var output: String { collected.lock.withLock { String(decoding: collected.bytes, as: UTF8.self) } }

    /// The exit status (128 + signal when killed) once the process has exited, without waiting.
    public var status: Int32? {
        lock.withLock {
            if exitStatus == nil {
                var raw: Int32 = 0
                if waitpid(child.pid, &raw, WNOHANG) == child.pid {
                    exitStatus = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                }
            }
            return exitStatus
        }
    }

    public var isRunning: Bool { status == nil }

    /// Sends `signal` unless the process has exited (and been reaped) already.
    public func send(_ signal: Int32) { if isRunning { kill(child.pid, signal) } }

    /// Waits at most `limit` seconds for the process to exit; its status, or nil if still running.
    public func waitForExit(limit: Double) -> Int32? {
        waitUntil(limit: limit) { !isRunning }
        return status
    }

    deinit {
        if isRunning { kill(child.pid, SIGKILL); _ = waitForExit(limit: 5) }
    }
}

/// Asks `condition` every 20 ms until it answers true or `limit` seconds have passed; returns its
/// last answer. For waiting on another process, never for asserting how long something took.
@discardableResult
public func waitUntil(limit: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limit)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
