import Foundation
import RepoOps
import SyncCore

/// A try repository of either kind, made from mozilla-central: Mercurial and non-publishing (each
/// try push a new head), or a bare git repository whose branch `try` each try push moves (its
/// reflog, kept here, lists every push, as try's pushlog would).
public struct TryRepository: Sendable {
    public let path: String
    public let kind: GeckoKind
    /// With git, the branch try pushes move.
    public var branch = "refs/heads/try"

    /// Clones `central` (a Mercurial repository, or a git one) to `path`.
    public init(path: String, central: String, kind: GeckoKind, branch: String = "refs/heads/try") throws {
        self.path = path; self.kind = kind; self.branch = branch
        if kind == .git {
            _ = try sh("git", ["clone", "-q", "--bare", central, path])
            _ = try sh("git", ["--git-dir", path, "config", "core.logAllRefUpdates", "always"])
        } else {
            _ = try sh("hg", ["clone", "-q", "-U", central, path])
            try writeFile(path + "/.hg/hgrc", "[phases]\npublish = False\n")
        }
    }

    /// The try repository already at `path`.
    public init(existing path: String, kind: GeckoKind) {
        self.path = path; self.kind = kind
    }

    /// The try pushes holding a `try_task_config.json`, oldest first (with git, each move of `try`).
    public func pushes() throws -> [String] {
        guard kind == .git else {
            return try sh("hg", ["log", "-r", "file('path:try_task_config.json')", "-T", "{node}\n"], in: path).split(separator: "\n").map(String.init)
        }
        let result = try ProcessRunner.run("git", ["--git-dir", path, "reflog", "show", "--format=%H", branch], extraEnvironment: testEnvironment)
        guard result.status == 0 else { return [] }
        return try result.stdoutString.split(separator: "\n").reversed().map(String.init).filter {
            try ProcessRunner.run("git", ["--git-dir", path, "cat-file", "-e", "\($0):try_task_config.json"], extraEnvironment: testEnvironment).status == 0
        }
    }

    /// Someone else's push to git try: its branch `try` moves to `revision`.
    public func someoneElsePushes(_ revision: String) throws {
        _ = try sh("git", ["--git-dir", path, "update-ref", branch, revision])
    }

    /// A file of try push `revision`.
    public func file(_ path: String, at revision: String) throws -> String {
        kind == .git ? try sh("git", ["--git-dir", self.path, "show", "\(revision):\(path)"])
            : try sh("hg", ["cat", "-r", revision, path], in: self.path)
    }

    /// The parent of try push `revision` (mozilla-central's revision it was built on).
    public func parent(of revision: String) throws -> String {
        let text = kind == .git ? try sh("git", ["--git-dir", path, "rev-parse", revision + "^"])
            : try sh("hg", ["log", "-r", revision, "-T", "{p1.node}"], in: path)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
