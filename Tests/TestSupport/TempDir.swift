import Foundation
import RepoOps

/// A fresh directory under the system temporary folder, removed when the value is released
/// unless `WPTSYNC_KEEP_TEST_DIRS` is set.
public final class TempDir: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "wptsync") {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template)
    }

    deinit {
        if ProcessInfo.processInfo.environment["WPTSYNC_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// `path` joined with `component`.
    public func sub(_ component: String) -> String { "\(path)/\(component)" }
}

/// Writes `contents` at `path`, creating parent directories.
public func writeFile(_ path: String, _ contents: String, executable: Bool = false) throws {
    try writeFile(path, Array(contents.utf8), executable: executable)
}

/// Writes raw bytes at `path`, creating parent directories.
public func writeFile(_ path: String, _ bytes: [UInt8], executable: Bool = false) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
}

/// Runs a command-line tool in `directory` and returns its stdout; fails the caller on non-zero exit.
@discardableResult
public func sh(_ tool: String, _ args: [String], in directory: String? = nil, env: [String: String] = [:], stdin: String = "") throws -> String {
    try ProcessRunner.check(tool, args, in: directory, extraEnvironment: testEnvironment.merging(env) { $1 }, stdin: Array(stdin.utf8)).stdoutString
}

/// Environment that makes hg and git deterministic and independent of the user's configuration.
public let testEnvironment: [String: String] = [
    "HGPLAIN": "1", "HGRCPATH": "", "HGUSER": "Test User <test@example.com>", "HGENCODING": "utf-8",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test User", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test User", "GIT_COMMITTER_EMAIL": "test@example.com",
]
