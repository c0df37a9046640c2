import ArgumentParser
import Foundation
import Logging
import Remote
import Synchronization
import WPTSyncKit

struct RunWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Keep processing events as they arrive, until SIGINT or SIGTERM.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        let cancellation = Cancellation()
        try StopSignal.install(cancelling: cancellation)
        try Application.startWorker(config: config, logger: Logger(label: "wptsync.worker"), cancellation: cancellation)?.run()
    }
}

/// SIGINT/SIGTERM cancel the worker: every wait ends, and the event in hand goes back to pending
/// unless it finishes first. The handler only writes a byte to a pipe (async-signal-safe); a
/// thread reading the pipe cancels.
enum StopSignal {
    private static let pipeWriteEnd = Atomic<Int32>(-1)

    static func install(cancelling cancellation: Cancellation) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ValidationError("cannot create a pipe for signals: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        pipeWriteEnd.store(fds[1], ordering: .sequentiallyConsistent)
        let readEnd = fds[0]
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            cancellation.cancel(.stopRequested)
        }
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                var byte: UInt8 = 1
                _ = write(StopSignal.pipeWriteEnd.load(ordering: .sequentiallyConsistent), &byte, 1)
            }
            sigaddset(&set, number)
        }
        // A parent may have started us with them blocked (the mask is inherited).
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
