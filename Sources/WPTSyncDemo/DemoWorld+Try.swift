import Foundation

/// The demo's try repository as the downstream act reads it: Mercurial (each try push a new head)
/// or, with git Gecko, a bare git repository whose branch `try` each try push moves.
extension DemoWorld {
    /// With git Gecko, makes the try repository (a bare clone of mozilla-central) unless it exists,
    /// and keeps a reflog of its branches, so that every try push can be listed.
    func prepareGitTry() throws {
        guard kind == .git else { return }
        if !FileManager.default.fileExists(atPath: tryRepository) {
            try run("git", ["clone", "-q", "--bare", central, tryRepository])
        }
        try run("git", ["--git-dir", tryRepository, "config", "core.logAllRefUpdates", "always"])
    }

    /// The try pushes holding a `try_task_config.json`, oldest first.
    func tryPushes() throws -> [String] {
        guard kind == .git else {
            return try run("hg", ["log", "-R", tryRepository, "-r", "file('path:try_task_config.json')", "-T", "{node}\n"])
                .split(separator: "\n").map(String.init)
        }
        guard let reflog = try? run("git", ["--git-dir", tryRepository, "reflog", "show", "--format=%H", "refs/heads/try"]) else { return [] }
        return reflog.split(separator: "\n").reversed().map(String.init).filter { (try? tryTaskConfig($0)) != nil }
    }

    /// A try commit's `try_task_config.json`.
    func tryTaskConfig(_ revision: String) throws -> String {
        kind == .git ? try run("git", ["--git-dir", tryRepository, "show", "\(revision):try_task_config.json"])
            : try run("hg", ["-R", tryRepository, "cat", "-r", revision, "path:try_task_config.json"])
    }
}
