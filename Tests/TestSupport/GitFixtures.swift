import Foundation
import RepoOps

/// Runs the `git` command-line tool in `directory` and returns its stdout, byte for byte.
public func gitBytes(_ args: [String], in directory: String) throws -> [UInt8] {
    try ProcessRunner.check("git", args, in: directory, extraEnvironment: testEnvironment).stdout
}

/// Runs the `git` command-line tool in `directory` and returns its stdout without the final newline.
@discardableResult
public func git(_ args: [String], in directory: String) throws -> String {
    var out = try sh("git", args, in: directory)
    if out.hasSuffix("\n") { out.removeLast() }
    return out
}

/// A fixed author and committer for test commits.
public let testSignature = GitSignature(name: "Test User", email: "test@example.com",
                                        time: 1_700_000_000, offsetMinutes: 60)

extension GitRepository {
    /// Writes the files (path → contents, regular mode) as a tree and commits it on top of `parents`.
    public func commitFiles(_ files: [String: String], parents: [Oid] = [], message: String = "test\n") throws -> Oid {
        try createCommit(tree: try treeOf(files), parents: parents, author: testSignature,
                                committer: testSignature, message: Array(message.utf8))
    }

    /// Writes the files (path → contents, regular mode) as a tree.
    public func treeOf(_ files: [String: String]) throws -> Oid {
        var editor = TreeEditor()
        for (path, contents) in files {
            editor.upsert(GitPath(path), oid: try writeBlob(Array(contents.utf8)))
        }
        return try editor.write(onto: nil, in: self)
    }
}

/// A server process for tests, listening on a random port of 127.0.0.1 and killed on `stop()`.
public final class TestServer {
    public private(set) var port = 0
    private var process = Process()

    /// Starts `executable` with `arguments(port)` and waits until the port accepts connections. A
    /// server that exits first (its port was taken) is started again on another port; one still
    /// starting is waited for up to a minute, since a loaded machine can be slow to start it.
    public init(_ executable: String, arguments: (Int) -> [String]) throws {
        for _ in 0..<5 {
            port = Int.random(in: 20_000..<60_000)
            process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(port)
            process.environment = ProcessInfo.processInfo.environment.merging(testEnvironment) { $1 }
            process.standardError = FileHandle.nullDevice
            try process.run()
            if waitUntilListening() { return }
            stop()
        }
        struct ServerDidNotStart: Error {}
        throw ServerDidNotStart()
    }

    /// Stops the server.
    public func stop() {
        // SIGKILL: children started through Foundation may have SIGTERM blocked.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit { stop() }

    /// Whether the port accepts connections before the process exits or a minute passes.
    private func waitUntilListening() -> Bool {
        for _ in 0..<1200 where process.isRunning {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if connected == 0 { return true }
            usleep(50_000)
        }
        return false
    }
}

/// Starts `git daemon` serving the repositories under `basePath` over `git://`, with push
/// enabled, so that tests can reach a real remote whose hooks run. Returns the server and
/// its URL (`git://127.0.0.1:<port>`; append `/<repository>`).
public func startGitDaemon(basePath: String) throws -> (server: TestServer, url: String) {
    // The daemon binary itself, not the `git` wrapper, so that killing it leaves no child behind.
    let daemon = try git(["--exec-path"], in: basePath) + "/git-daemon"
    let server = try TestServer(daemon) { port in
        ["--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
         "--port=\(port)", "--base-path=\(basePath)", basePath]
    }
    return (server, "git://127.0.0.1:\(server.port)")
}
