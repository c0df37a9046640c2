#if canImport(Glibc)
import Glibc
#endif

/// The hook side of the worker's wake-up: a FIFO beside the journal (`StoreSettings.wakePath`)
/// that a waiting worker holds open for reading. A byte written to it ends the worker's poll
/// interval at once; the poll stays as the fallback when nothing rings.
public enum WakeBell {
    /// Writes one byte to the FIFO at `path` without ever blocking or failing: no FIFO, no worker
    /// holding it (`ENXIO`), a full FIFO (`EAGAIN`, a wake-up is pending anyway) or a file that is
    /// not a FIFO are all silently nothing to do. A worker that closes it meanwhile raises no SIGPIPE.
    public static func ring(_ path: String) {
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFIFO else { return }
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        var byte: UInt8 = 1
        if write(fd, &byte, 1) < 0 && errno == EPIPE {
            // The SIGPIPE this write raised is pending while blocked: take it before unblocking.
            var now = timespec()
            _ = sigtimedwait(&pipeSignal, nil, &now)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
