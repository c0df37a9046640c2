import Foundation
import HookIntake
import RepoOps
import Store
import SyncCore

/// What `check-config` verifies beyond the file's own rules: that the repositories it names exist on
/// this machine and are of the right kind (each problem a `ConfigError` naming the key), and what
/// works but risks losing pushes (warnings).
public enum ConfigCheck {
    /// Every problem found, in the file's order; empty when the configuration can be used here.
    public static func problems(in config: Config, file: String) -> [ConfigError] {
        var problems: [ConfigError] = []
        for (index, repo) in config.gecko.enumerated() where !isDirectory(repo.path + "/.hg") {
            problems.append(.invalid(file: file, key: "gecko[\(index)].path",
                                     reason: "is not a Mercurial repository (no \(repo.path)/.hg)"))
        }
        if let wpt = config.wpt {
            do { _ = try GitRepository.open(at: wpt.path) } catch {
                problems.append(.invalid(file: file, key: "wpt.path", reason: "is not a git repository (\(wpt.path): \(error))"))
            }
        }
        return problems
    }

    /// What may lose or strand pushes although the configuration is valid, one line each: the spool on
    /// the journal's filesystem, and repositories whose installed hook is missing, runs a
    /// `wptsync-hook` copy that is gone, or still names another configuration file or spool (set at
    /// install time: raw inputs would go to a spool nothing drains).
    public static func warnings(in config: Config, file: String) -> [String] {
        var warnings: [String] = []
        if SpoolFile(path: config.store.spool).sharesFilesystem(with: config.store.path) {
            warnings.append("warning: the spool \(config.store.spool) is on the same filesystem as the journal \(config.store.path):"
                + " when that disk is full, hooks can write neither and pushes must be replayed; put [store] spool on another filesystem")
        }
        let again = "; run `wptsync install-hooks` again"
        for repository in config.gecko.map(\.path) + (config.wpt.map { [$0.path] } ?? []) {
            guard let installed = InstalledHook.read(repository: repository) else { continue }
            guard let variables = installed.variables else {
                warnings.append("warning: the wptsync hook is not installed in \(installed.file)\(again)")
                continue
            }
            for (name, wanted) in [("WPTSYNC_CONFIG", file), ("WPTSYNC_SPOOL", config.store.spool)] {
                let set = variables[name] ?? "(unset)"
                if Paths.canonical(set) != Paths.canonical(wanted) {
                    warnings.append("warning: \(installed.file) sets \(name)=\(set), but the configuration's is \(wanted)\(again)")
                }
            }
            if let hook = variables["WPTSYNC_HOOK"], !FileManager.default.isExecutableFile(atPath: hook) {
                warnings.append("warning: \(installed.file) runs \(hook), which is missing\(again)")
            }
        }
        return warnings
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
