import Foundation

/// A fresh Mercurial repository in a temporary directory, for building test histories.
public final class HgFixture {
    public let directory: TempDir
    /// The repository root.
    public let root: String

    /// `initConfig` (`section.name=value`) applies to `hg init`, for formats fixed at creation.
    public init(_ label: String = "hg", initConfig: [String] = []) throws {
        directory = TempDir(label)
        root = directory.sub("repo")
        try sh("hg", ["init"] + initConfig.flatMap { ["--config", $0] } + [root])
    }

    /// Runs `hg` in the repository with the deterministic test environment and returns its stdout.
    @discardableResult
    public func hg(_ arguments: [String], env: [String: String] = [:], stdin: String = "") throws -> String {
        try sh("hg", arguments, in: root, env: env, stdin: stdin)
    }

    /// Writes a file below the root.
    public func write(_ path: String, _ contents: String, executable: Bool = false) throws {
        try writeFile("\(root)/\(path)", contents, executable: executable)
    }

    /// Writes a file below the root from raw bytes.
    public func write(_ path: String, bytes: [UInt8], executable: Bool = false) throws {
        try writeFile("\(root)/\(path)", bytes, executable: executable)
    }

    /// Writes a file directly in the root whose name is raw bytes (possibly not UTF-8).
    public func write(rawName: [UInt8], bytes: [UInt8]) throws {
        let fullPath = Array("\(root)/".utf8) + rawName + [0]
        let fd = fullPath.withUnsafeBufferPointer { path in
            path.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        guard writeAll(fd, bytes) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Creates a symbolic link at `path` (below the root) pointing to `target`.
    public func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: "\(root)/\(path)", withDestinationPath: target)
    }

    /// Commits everything (new files added, missing ones removed) and returns the new node.
    @discardableResult
    public func commit(_ message: String, date: String = "0 0", user: String? = nil) throws -> String {
        var arguments = ["commit", "-A", "-m", message, "-d", date]
        if let user { arguments += ["-u", user] }
        try hg(arguments)
        return try hg(["log", "-r", ".", "-T", "{node}"])
    }

    /// Like `commit`, but stores message and user without Mercurial's UTF-8 transcoding:
    /// `\xNN` escapes in them become raw bytes, so `"D\\xe9j\\xe0"` is stored as Latin-1.
    @discardableResult
    public func commitRaw(message: String, user: String, date: String = "0 0") throws -> String {
        let extensionPath = directory.sub("rawencoding.py")
        try writeFile(extensionPath, """
            import codecs
            from mercurial import encoding
            encoding.fromlocal = lambda s: codecs.escape_decode(bytes(s))[0]

            """)
        try hg(["--config", "extensions.rawencoding=\(extensionPath)",
                "commit", "-A", "-m", message, "-u", user, "-d", date])
        return try hg(["log", "-r", ".", "-T", "{node}"])
    }
}

private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
}
