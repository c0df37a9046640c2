#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 11: a hook that recorded an event wakes a waiting worker through the FIFO beside the
/// journal, and never blocks or fails the push whatever state that FIFO is in.
@Suite("Worker wake-up by the hooks", .serialized)
struct WakeUpTests {
    static func log(_ world: SyncWorld) -> String { (try? String(contentsOfFile: world.log, encoding: .utf8)) ?? "" }

    static func state(_ world: SyncWorld, _ id: Int64) -> EventState? { (try? SQLiteJournal(path: world.store).event(id: id))??.state }

    @Test func aPushWakesAWaitingWorkerInsteadOfWaitingForThePoll() throws {
        // An hour between polls: only the hook's wake-up can bring the push to the worker.
        let world = try SyncWorld(extraConfig: "[worker]\npoll_seconds = 3600\n")
        let worker = try RunningProcess(builtProduct("wptsync"), ["worker", "--config", world.config], in: world.dir.path,
                                        extraEnvironment: world.environment)
        #expect(waitUntil(limit: 60) { !worker.isRunning || Self.log(world).contains("listening for hooks' wake-ups") }, "\(worker.output)")
        let fifo = world.store + ".wake"
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)

        for (n, file) in ["a", "b"].enumerated() {
            try world.landInGecko(["testing/web-platform/tests/\(file).html": file], message: "Bug \(n + 1) - \(file)")
            #expect(waitUntil(limit: 60) { Self.state(world, Int64(n + 1)) == .done }, "\(worker.output)")
        }
        #expect(Self.log(world).contains("woken by a hook"))
        worker.send(SIGTERM)
        #expect(worker.waitForExit(limit: 30) == 0, "\(worker.output)")
    }

    /// Commits `file` in Gecko and pushes it to autoland as a process of its own; whether the push
    /// returned (a hook blocked on the FIFO would hold it forever).
    static func pushReturns(_ world: SyncWorld, _ file: String, bug: Int) throws -> Bool {
        try world.gecko.write("testing/web-platform/tests/" + file, file)
        let node = try world.gecko.commit("Bug \(bug) - \(file)")
        let push = try RunningProcess("/usr/bin/hg", ["push", "-q", "-r", node, world.autoland], in: world.gecko.root)
        return push.waitForExit(limit: 60) == 0
    }

    @Test func aPushIsRecordedWhenNoWorkerListensTheFIFOIsFullOrTheFileIsNoFIFO() throws {
        let world = try SyncWorld()
        let fifo = world.store + ".wake"
        try FileManager.default.createDirectory(atPath: world.dir.sub("state"), withIntermediateDirectories: true)
        #expect(mkfifo(fifo, 0o600) == 0)
        // Left by a worker that stopped: nobody reads it.
        #expect(try Self.pushReturns(world, "a.html", bug: 1))
        #expect(Self.state(world, 1) == .pending)

        // A reader that never reads, and a full FIFO.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        defer { close(reader); close(writer) }
        let chunk = [UInt8](repeating: 1, count: 4096)
        while write(writer, chunk, chunk.count) > 0 {}
        #expect(try Self.pushReturns(world, "b.html", bug: 2))
        #expect(Self.state(world, 2) == .pending)

        // A regular file in its place is left alone.
        try FileManager.default.removeItem(atPath: fifo)
        try writeFile(fifo, "mine\n")
        #expect(try Self.pushReturns(world, "c.html", bug: 3))
        #expect(Self.state(world, 3) == .pending)
        #expect(try String(contentsOfFile: fifo, encoding: .utf8) == "mine\n")
    }
}
