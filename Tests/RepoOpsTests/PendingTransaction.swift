import Foundation
import Testing
import RepoOps
import TestSupport

/// Holds a Mercurial transaction open: runs `hg` with a hook that blocks reading a FIFO, and
/// calls a body once the hook runs (the transaction's changesets pending), then lets it finish.
enum PendingTransaction {
    /// The exit status of the `hg` child, set once it ended.
    private final class Exit: @unchecked Sendable {
        private let lock = NSLock()
        private let ended = DispatchSemaphore(value: 0)
        private var value: Int32?
        var status: Int32? { lock.withLock { value } }
        func set(_ status: Int32) { lock.withLock { value = status }; ended.signal() }
        func wait() -> Int32 { ended.wait(); return status! }
    }

    /// Runs `hg arguments` in `root` with `hook` (`pretxncommit`, `pretxnchangegroup`) waiting;
    /// `whileOpen` runs while it waits. The hook is an external one, so Mercurial first writes the
    /// pending changelog (`00changelog.i.a`), as it does for any external hook.
    static func run(in root: String, hook: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation,
                    whileOpen: () throws -> Void) throws {
        let dir = TempDir("pending-transaction")
        let fifo = dir.sub("go")
        #expect(mkfifo(fifo, 0o600) == 0)
        let script = dir.sub("wait.py")
        try writeFile(script, "with open('\(fifo)', 'rb') as f:\n    f.read()\n")
        let child = try Child.spawn("hg", ["--config", "hooks.\(hook).wait=python3 \(script)"] + arguments,
                                    in: root, extraEnvironment: testEnvironment)
        let pid = child.pid
        let exit = Exit()
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exit.set(status)
        }
        // Opened without blocking, so that an hg that ends before its hook opens the FIFO cannot
        // leave this waiting for a reader forever.
        var writer = open(fifo, O_WRONLY | O_NONBLOCK)
        while writer < 0 && errno == ENXIO && exit.status == nil {
            usleep(10_000)
            writer = open(fifo, O_WRONLY | O_NONBLOCK)
        }
        defer { [child.stdin, child.stdout, child.stderr].forEach { close($0) } }
        guard exit.status == nil else {
            if writer >= 0 { close(writer) }
            let stderr = FileHandle(fileDescriptor: child.stderr, closeOnDealloc: false).readDataToEndOfFile()
            Issue.record("hg ended before its hook ran: \(String(decoding: stderr, as: UTF8.self))", sourceLocation: sourceLocation)
            return
        }
        do {
            try whileOpen()
        } catch {
            close(writer)
            _ = exit.wait()
            throw error
        }
        close(writer)
        #expect(exit.wait() == 0, "hg \(arguments) failed", sourceLocation: sourceLocation)
    }
}
