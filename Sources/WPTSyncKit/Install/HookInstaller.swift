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
    case io(file: String, reason: String)

    public var description: String {
        switch self {
        case .notARepository(let path): "\(path) is neither a Mercurial nor a git repository"
        case .missingShare(let path): "cannot find wptsync's hooks/ and vcs-config/ in \(path); pass --share with the project folder"
        case .missingHookBinary(let path): "the hook executable \(path) is missing; build it with `swift build` (product wptsync-hook)"
        case let .foreignHook(file, line): "\(file) exists and is not wptsync's; leaving it alone. To chain wptsync, add this line to it:\n    \(line)"
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

    /// The folder the hooks run from when none is given: `bin` beside the spool, which the hooks
    /// must be able to write anyway.
    public static func defaultHookDirectory(spool: String) -> String {
        URL(fileURLWithPath: spool).deletingLastPathComponent().appendingPathComponent("bin").path
    }

    /// Copies `wptsync-hook` and the hook scripts into `hookDirectory` (each replaced atomically, and
    /// only when it changed). Returns what was copied.
    public func installFiles() throws(InstallError) -> [InstallResult] {
        let sources = [("wptsync-hook", hookBinary)] + Self.scripts.map { ($0, "\(share)/hooks/\($0)") }
        var results: [InstallResult] = []
        for (name, source) in sources {
            let target = "\(hookDirectory)/\(name)"
            guard let bytes = FileManager.default.contents(atPath: source) else { throw .io(file: source, reason: "cannot read") }
            if FileManager.default.contents(atPath: target) == bytes, FileManager.default.isExecutableFile(atPath: target) { continue }
            let temporary = "\(hookDirectory)/.\(name).\(getpid()).tmp"
            do {
                try FileManager.default.createDirectory(atPath: hookDirectory, withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: temporary))
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
                guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw .io(file: target, reason: "\(error)")
            }
            results.append(.copied(file: target))
        }
        return results
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
        guard let hooks = gitHooksDirectory(path) else { throw .notARepository(path) }
        return try installBlock(file: "\(hooks)/post-receive", fragment: fragment("git-post-receive"), asExecutable: true)
    }

    private func gitHooksDirectory(_ path: String) -> String? {
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
