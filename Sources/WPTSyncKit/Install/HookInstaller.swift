import Foundation
import HookIntake
import RepoOps

/// What `install-hooks` did to one repository.
public enum InstallResult: Sendable, Equatable, CustomStringConvertible {
    case installed(file: String)
    case updated(file: String)
    case unchanged(file: String)
    case copied(file: String)

    public var description: String {
        switch self {
        case .installed(let file): "installed the wptsync hook in \(file)"
        case .updated(let file): "updated the wptsync hook in \(file)"
        case .unchanged(let file): "the wptsync hook in \(file) is already up to date"
        case .copied(let file): "copied \(file)"
        }
    }
}

/// Why hooks could not be installed.
public enum InstallError: Error, Sendable, CustomStringConvertible {
    case notARepository(String)
    case missingShare(String)
    case missingHookBinary(String)
    case foreignHook(file: String, line: String)
    case writableByOthers(path: String, mode: UInt16)
    case io(file: String, reason: String)

    public var description: String {
        switch self {
        case .notARepository(let path): "\(path) is neither a Mercurial nor a git repository"
        case .missingShare(let path): "cannot find wptsync's hooks/ and vcs-config/ in \(path); pass --share with the project folder"
        case .missingHookBinary(let path): "the hook executable \(path) is missing; build it with `swift build` (product wptsync-hook)"
        case let .foreignHook(file, line): "\(file) exists and is not wptsync's; leaving it alone. To chain wptsync, add this line to it:\n    \(line)"
        case let .writableByOthers(path, mode):
            "refusing to install the hooks: \(path) is writable by its group or by others (mode \(String(mode & 0o7777, radix: 8))),"
                + " so whoever can write it could change what every push runs; make it writable by its owner only (chmod go-w) or choose another --hook-dir"
        case let .io(file, reason): "\(file): \(reason)"
        }
    }
}

/// Adds wptsync's hook to a Mercurial repository's `.hg/hgrc` or a git repository's hooks, from the
/// fragments in `vcs-config/`. Only the block between wptsync's markers is ever written, so other
/// hooks stay as they are, and installing twice changes nothing.
///
/// The repositories never point into a build folder: `installFiles()` first copies `wptsync-hook`
/// and the hook scripts into `hookDirectory`, and the hooks run those copies, so a clean, a rebuild
/// or a moved checkout does not break them.
public struct HookInstaller {
    /// The project folder holding `hooks/` and `vcs-config/`.
    public let share: String
    /// The built `wptsync-hook` executable, copied into `hookDirectory`.
    public let hookBinary: String
    public let config: String
    /// Where the hook scripts write a push's raw input when `wptsync-hook` cannot record it.
    public let spool: String
    /// The stable folder the hooks run from.
    public let hookDirectory: String

    static let begin = "# >>> wptsync >>>"
    static let end = "# <<< wptsync <<<"
    /// The hook scripts copied from `hooks/`.
    static let scripts = ["hg-changegroup", "git-post-receive", "spool-hook-input"]

    public init(share: String, hookBinary: String, config: String, spool: String, hookDirectory: String) throws(InstallError) {
        for needed in Self.scripts.map({ "hooks/\($0)" }) + ["vcs-config/hgrc", "vcs-config/git-post-receive"]
        where !FileManager.default.fileExists(atPath: "\(share)/\(needed)") {
            throw .missingShare(share)
        }
        guard FileManager.default.isExecutableFile(atPath: hookBinary) else { throw .missingHookBinary(hookBinary) }
        self.share = Paths.canonical(share); self.hookBinary = Paths.canonical(hookBinary); self.config = Paths.canonical(config)
        self.spool = Paths.canonical(spool); self.hookDirectory = Paths.canonical(hookDirectory)
    }

    /// The folder the hooks run from when none is given: `wptsync-hooks` beside the configuration
    /// file, a place the operator controls (the spool's folder is writable by the pushers, and Mercurial
    /// hooks run as the pushing user).
    public static func defaultHookDirectory(config: String) -> String {
        URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("wptsync-hooks").path
    }

    /// Copies `wptsync-hook` and the hook scripts into `hookDirectory` (each replaced atomically, and
    /// only when it changed), creating it with mode 0755. Refuses a folder, one of its parents (unless
    /// sticky) or a file there that its group or others may write. Returns what was copied.
    public func installFiles() throws(InstallError) -> [InstallResult] {
        try createHookDirectory()
        let sources = [("wptsync-hook", hookBinary)] + Self.scripts.map { ($0, "\(share)/hooks/\($0)") }
        for (name, _) in sources { try Self.refuseWritableByOthers("\(hookDirectory)/\(name)") }
        var results: [InstallResult] = []
        for (name, source) in sources {
            let target = "\(hookDirectory)/\(name)"
            guard let bytes = FileManager.default.contents(atPath: source) else { throw .io(file: source, reason: "cannot read") }
            if FileManager.default.contents(atPath: target) == bytes, FileManager.default.isExecutableFile(atPath: target) { continue }
            let temporary = "\(hookDirectory)/.\(name).\(getpid()).tmp"
            do {
                try Self.writeDurably(bytes, to: temporary)
                guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .io(file: target, reason: "\(error)")
            }
            results.append(.copied(file: target))
        }
        if !results.isEmpty { Self.fsyncDirectory(hookDirectory) }
        return results
    }

    private func createHookDirectory() throws(InstallError) {
        var info = stat()
        if stat(hookDirectory, &info) != 0 {
            let parent = URL(fileURLWithPath: hookDirectory).deletingLastPathComponent().path
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw .io(file: parent, reason: (error as NSError).localizedDescription)
            }
            // chmod as well: mkdir's mode is masked by the umask.
            guard mkdir(hookDirectory, 0o755) == 0 || errno == EEXIST, chmod(hookDirectory, 0o755) == 0 else {
                throw .io(file: hookDirectory, reason: String(cString: strerror(errno)))
            }
        }
        var folder = URL(fileURLWithPath: hookDirectory)
        try Self.refuseWritableByOthers(folder.path)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            try Self.refuseWritableByOthers(folder.path, unlessSticky: true)
        }
    }

    /// Throws when `path` exists and its group or others may write it (a sticky folder is safe when
    /// `unlessSticky`: none of them can rename or remove what they do not own in it).
    static func refuseWritableByOthers(_ path: String, unlessSticky: Bool = false) throws(InstallError) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { return }
        guard info.st_mode & 0o022 != 0, !(unlessSticky && info.st_mode & S_ISVTX != 0) else { return }
        throw .writableByOthers(path: path, mode: UInt16(info.st_mode & 0o7777))
    }

    /// Writes `bytes` to a new executable file at `path` and flushes it to disk, so that a crash
    /// after the rename that follows never leaves an empty or partial file in its place.
    static func writeDurably(_ bytes: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o700)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n } else if n < 0, errno == EINTR { continue } else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        guard fchmod(fd, 0o755) == 0, fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Makes the renames in `folder` durable.
    static func fsyncDirectory(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Finds the project folder by walking up from `executable` (e.g. `.build/debug/wptsync`).
    public static func findShare(from executable: String) -> String? {
        var dir = URL(fileURLWithPath: Paths.canonical(executable)).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.path + "/vcs-config/hgrc") { return dir.path }
            for installed in ["share/wptsync"] where FileManager.default.fileExists(atPath: dir.path + "/\(installed)/vcs-config/hgrc") {
                return dir.path + "/\(installed)"
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    /// Installs the hook into the repository at `path`.
    public func install(repository path: String) throws(InstallError) -> InstallResult {
        let fm = FileManager.default
        let path = Paths.canonical(path)
        if fm.fileExists(atPath: "\(path)/.hg") {
            return try installBlock(file: "\(path)/.hg/hgrc", fragment: fragment("hgrc"), asExecutable: false)
        }
        guard let hooks = Self.gitHooksDirectory(path) else { throw .notARepository(path) }
        return try installBlock(file: "\(hooks)/post-receive", fragment: fragment("git-post-receive"), asExecutable: true)
    }

    static func gitHooksDirectory(_ path: String) -> String? {
        guard let out = try? ProcessRunner.run("git", ["rev-parse", "--path-format=absolute", "--git-path", "hooks"], in: path),
              out.status == 0 else { return nil }
        return out.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func fragment(_ name: String) throws(InstallError) -> String {
        let file = "\(share)/vcs-config/\(name)"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw .io(file: file, reason: "cannot read") }
        return text
            .replacingOccurrences(of: "@HOOK_BIN@", with: Paths.shellWord(hookDirectory + "/wptsync-hook"))
            .replacingOccurrences(of: "@CONFIG@", with: Paths.shellWord(config))
            .replacingOccurrences(of: "@SPOOL@", with: Paths.shellWord(spool))
            .replacingOccurrences(of: "@HOOKS@", with: Paths.shellWord(hookDirectory))
    }

    private func installBlock(file: String, fragment: String, asExecutable: Bool) throws(InstallError) -> InstallResult {
        let existing = try? String(contentsOfFile: file, encoding: .utf8)
        let block = Self.block(of: fragment)
        let updated: String
        let result: InstallResult
        if let existing, let range = Self.blockRange(in: existing) {
            updated = existing.replacingCharacters(in: range, with: block)
            result = updated == existing ? .unchanged(file: file) : .updated(file: file)
        } else if let existing, !existing.isEmpty {
            if asExecutable {
                throw .foreignHook(file: file, line: block.split(separator: "\n").first { $0.hasPrefix("WPTSYNC_HOOK=") }.map(String.init) ?? block)
            }
            updated = existing + (existing.hasSuffix("\n") ? "" : "\n") + block
            result = .installed(file: file)
        } else {
            updated = fragment
            result = .installed(file: file)
        }
        if case .unchanged = result { return result }
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try updated.write(toFile: file, atomically: true, encoding: .utf8)
            if asExecutable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        } catch {
            throw .io(file: file, reason: (error as NSError).localizedDescription)
        }
        return result
    }

    /// The managed block of a fragment: from the begin marker through the end marker and its newline.
    static func block(of fragment: String) -> String {
        guard let range = blockRange(in: fragment) else { return fragment }
        return String(fragment[range])
    }

    static func blockRange(in text: String) -> Range<String.Index>? {
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else { return nil }
        let upper = text[stop.upperBound...].first == "\n" ? text.index(after: stop.upperBound) : stop.upperBound
        return start.lowerBound..<upper
    }
}
