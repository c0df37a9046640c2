#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An idle worker's wake-up on PostgreSQL: a connection of its own that `LISTEN`s on
/// `PostgresJournal.channel` and, from a thread waiting on its socket, calls `onNotify` each time
/// events are recorded. A lost connection is re-established (checking every `retrySeconds`) and
/// counts as a notification, since some may have been missed meanwhile.
public final class PostgresListener: @unchecked Sendable {
    let stopPipe: (read: Int32, write: Int32)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts listening; fails when the server cannot be reached now.
    public init(_ parameters: PostgresParameters, retrySeconds: Double = 1, onNotify: @escaping @Sendable () -> Void) throws(StoreError) {
        let connection = try PostgresConnection(parameters)
        try connection.execute("LISTEN \(PostgresJournal.channel)")
        var fds: [Int32] = [0, 0]
        // A socket pair, not a pipe: it can be made close-on-exec atomically (pipe2 is not in Glibc's module).
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { throw .unavailable(store: parameters.url, reason: String(cString: strerror(errno))) }
        let stopPipe = (read: fds[0], write: fds[1])
        self.stopPipe = stopPipe
        let finished = finished
        let thread = Thread {
            defer { finished.signal() }
            var healthy = true
            while true {
                var polled = [pollfd(fd: healthy ? connection.socket : -1, events: Int16(POLLIN), revents: 0),
                              pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&polled, 2, healthy ? -1 : Int32(retrySeconds * 1000))
                if ready < 0 { if errno == EINTR { continue } else { return } }
                if polled[1].revents != 0 { return }
                if !healthy {
                    if connection.reset(), (try? connection.execute("LISTEN \(PostgresJournal.channel)")) != nil {
                        healthy = true
                        onNotify()
                    }
                    continue
                }
                guard polled[0].revents != 0 else { continue }
                healthy = connection.consumeInput()
                if !connection.takeNotifications().isEmpty || !healthy { onNotify() }
            }
        }
        thread.name = "wptsync-listen"
        thread.start()
    }

    /// Stops listening and closes the connection.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        finished.wait()
        close(stopPipe.read); close(stopPipe.write)
    }
}
