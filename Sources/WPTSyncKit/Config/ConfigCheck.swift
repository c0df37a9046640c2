import Foundation
import HookIntake
import RepoOps
import SyncCore

/// What `check-config` verifies beyond the file's own rules: that the repositories it names exist on
/// this machine and are of the right kind. Each problem is a `ConfigError` naming the key.
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

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
