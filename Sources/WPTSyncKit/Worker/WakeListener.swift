#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HookIntake
import Logging

/// The worker side of the wake-up (`WakeBell`): holds the FIFO beside the journal open and, from
/// a thread, calls `onRing` each time hooks ring it.
final class WakeListener {
    private let fifo: Int32
    /// A write end of the FIFO kept open, so that hooks closing theirs never leaves it at end of file.
    private let keeper: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let finished = DispatchSemaphore(value: 0)

    /// Listens at `path`, making the FIFO if needed with the permissions of the journal at
    /// `journal` (who may record an event may ring). Nil, with a warning, when it cannot: the
    /// worker then only polls.
    static func listen(at path: String, journal: String, logger: Logger, onRing: @escaping @Sendable () -> Void) -> WakeListener? {
        func give(up reason: String) -> WakeListener? {
            logger.warning("cannot listen for hook wake-ups; polling only", metadata: ["fifo": "\(path)", "reason": "\(reason)"])
            return nil
        }
        var info = stat()
        if lstat(path, &info) != 0 {
            let mode = stat(journal, &info) == 0 ? info.st_mode & 0o666 : 0o600
            guard mkfifo(path, mode) == 0 || errno == EEXIST else { return give(up: String(cString: strerror(errno))) }
            _ = chmod(path, mode)  // not narrowed by the umask
        } else if info.st_mode & S_IFMT != S_IFIFO {
            return give(up: "it exists and is not a FIFO")
        }
        let fifo = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fifo >= 0 else { return give(up: String(cString: strerror(errno))) }
        let keeper = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        var fds: [Int32] = [0, 0]
        guard keeper >= 0, pipe(&fds) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fifo)
            if keeper >= 0 { close(keeper) }
            return give(up: reason)
        }
        return WakeListener(fifo: fifo, keeper: keeper, stopPipe: (fds[0], fds[1]), onRing: onRing)
    }

    private init(fifo: Int32, keeper: Int32, stopPipe: (read: Int32, write: Int32), onRing: @escaping @Sendable () -> Void) {
        self.fifo = fifo; self.keeper = keeper; self.stopPipe = stopPipe
        let finished = finished
        let thread = Thread {
            defer { finished.signal() }
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                var polled = [pollfd(fd: fifo, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
                if poll(&polled, 2, -1) < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if polled[1].revents != 0 { return }
                guard polled[0].revents != 0 else { continue }
                // Several rings since the last read make one wake-up.
                while read(fifo, &buffer, buffer.count) > 0 {}
                onRing()
            }
        }
        thread.name = "wptsync-wake"
        thread.start()
    }

    /// Stops listening and closes the FIFO; the FIFO stays for the next worker.
    func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        finished.wait()
        for fd in [fifo, keeper, stopPipe.read, stopPipe.write] { close(fd) }
    }
}
