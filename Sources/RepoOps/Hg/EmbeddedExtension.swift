import Foundation
import SyncCore

/// Writes the Python source of a Mercurial extension embedded in the binary to a per-user cache
/// folder, once per content, so a command server can load it per command with
/// `--config extensions.NAME=<path>`.
enum EmbeddedExtension {
    /// Where the source was to go and why it could not be written.
    struct Failure: Error { var path: String; var reason: String }

    /// The path the source was written to, or why it could not be written (with the path).
    static func install(name: String, source: String) -> Result<String, Failure> {
        let env = ProcessInfo.processInfo.environment
        let folder = env["WPTSYNC_CACHE_DIR"] ?? env["XDG_CACHE_HOME"].map { $0 + "/wptsync" }
            ?? env["HOME"].map { $0 + "/.cache/wptsync" }
            ?? NSTemporaryDirectory() + "wptsync-\(getuid())"
        let path = "\(folder)/hgext-\(name)-\(FNV1a.hex(source.utf8)).py"
        let data = Data(source.utf8)
        if FileManager.default.contents(atPath: path) == data { return .success(path) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let temporary = "\(path).\(getpid()).tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return .success(path)
        } catch {
            return .failure(Failure(path: path, reason: "\(error)"))
        }
    }
}
