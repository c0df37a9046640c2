import Foundation
import RepoOps
import SyncCore

/// The demo's Gecko, as a developer and the sheriffs use it: with `hg`, or with `git` when `kind` is git.
extension DemoWorld {
    /// The developer's clone with Gecko's initial tree, pushed to autoland, mozilla-central and try
    /// (with git, try's branch `try`).
    func createGecko(readme: String, syncPoint: String) throws {
        if kind == .git { try run("git", ["init", "-q", "-b", "autoland", gecko]) } else { try run("hg", ["init", gecko]) }
        try write(gecko + "/testing/web-platform/tests/README.md", readme)
        try write(gecko + "/testing/web-platform/meta/mozilla-sync", syncPoint)
        try write(gecko + "/testing/web-platform/moz.build", """
            with Files("**"):
                BUG_COMPONENT = ("Testing", "web-platform-tests")

            with Files("tests/css/css-grid/**"):
                BUG_COMPONENT = ("Core", "Layout: Grid")

            """)
        try write(gecko + "/dom/base/Document.cpp", "// Gecko\n")
        try commitInGecko(message: "Initial import")
        guard kind == .hg else {
            for (repository, branch) in [(autoland, "autoland"), (central, "main"), (tryRepository, "try")] {
                try run("git", ["init", "-q", "--bare", "-b", branch, repository])
                try run("git", ["push", "-q", repository, "HEAD:refs/heads/\(branch)"], in: gecko)
            }
            return
        }
        for repository in [autoland, central, tryRepository] {
            try run("hg", ["init", repository])
            try run("hg", ["push", "-q", repository], in: gecko)
        }
        try write(tryRepository + "/.hg/hgrc", "[phases]\npublish = False\n")
    }

    /// Commits one file in the developer's clone (nil contents removes it) and pushes to autoland; returns the node.
    func landInGecko(path: String, contents: String, message: String) throws -> String {
        try write(gecko + "/" + path, contents)
        let node = try commitInGecko(message: message)
        try pushToAutoland(node)
        return node
    }

    /// Backs out `node` in the developer's clone and pushes to autoland; returns the backout's node.
    /// With git, as git users do: `git revert`, whose message says "This reverts commit …".
    func backOut(_ node: String, bug: Int) throws -> String {
        if kind == .git {
            try run("git", ["revert", "--no-edit", node], in: gecko)
        } else {
            try run("hg", ["backout", "-q", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug \(bug)) for causing failures"], in: gecko)
        }
        let backout = try head()
        try pushToAutoland(backout)
        return backout
    }

    /// Commits a fix of `path` in the developer's clone and an empty try commit asking for autoland on top,
    /// pushes both to try as `user` (with git, `git push try +HEAD:try`), and goes back to where the clone was.
    func pushToTry(path: String, contents: String, message: String, user: String) throws -> (fix: String, tip: String) {
        let base = try head()
        try write(gecko + "/" + path, contents)
        let fix = try commitInGecko(message: message)
        // As `mach try syntax` pushes: an empty commit whose message holds the try syntax.
        let syntax = "try: -b o -p all -u all --autoland"
        let environment = Self.environment.merging(["USER": user]) { $1 }
        if kind == .git {
            try run("git", ["commit", "-q", "--allow-empty", "-m", syntax], in: gecko)
            let tip = try head()
            try ProcessRunner.check("git", ["push", "-q", tryRepository, "+HEAD:refs/heads/try"], in: gecko, extraEnvironment: environment)
            try run("git", ["reset", "-q", "--hard", base], in: gecko)
            return (fix, tip)
        }
        try run("hg", ["commit", "-q", "--config", "ui.allowemptycommit=true", "-m", syntax], in: gecko)
        let tip = try head()
        try ProcessRunner.check("hg", ["push", "-q", "-f", "-r", tip, tryRepository], in: gecko, extraEnvironment: environment)
        try run("hg", ["update", "-q", "-r", base], in: gecko)
        return (fix, tip)
    }

    /// Pushes everything autoland has to mozilla-central, as the daily merge does.
    func mergeToCentral() throws {
        if kind == .git {
            try run("git", ["--git-dir", autoland, "push", "-q", central, "autoland:main"])
        } else {
            try run("hg", ["push", "-q", central], in: autoland)
        }
    }

    /// One line per autoland commit, oldest first: short node and first line.
    func autolandLog() throws -> [String] {
        let log = kind == .git
            ? try run("git", ["--git-dir", autoland, "log", "--reverse", "--format=%h %s", "autoland"])
            : try run("hg", ["log", "-R", autoland, "-r", "0:tip", "-T", "{node|short} {desc|firstline}\n"])
        return log.split(separator: "\n").map(String.init)
    }

    /// Who the developer's commits name as their author.
    var developer: String {
        kind == .git ? "\(Self.environment["GIT_AUTHOR_NAME"] ?? "") <\(Self.environment["GIT_AUTHOR_EMAIL"] ?? "")>" : Self.environment["HGUSER"] ?? ""
    }

    /// Autoland's tip: its node, author and first line.
    func autolandTip() throws -> String {
        kind == .git ? try run("git", ["--git-dir", autoland, "log", "-1", "--format=%H %an <%ae> %s", "autoland"])
            : try run("hg", ["log", "-R", autoland, "-r", "tip", "-T", "{node} {author} {desc|firstline}"])
    }

    /// A file of autoland's tip, or nil.
    func autolandFile(_ path: String) -> String? {
        let (tool, arguments) = kind == .git
            ? ("git", ["--git-dir", autoland, "show", "autoland:" + path])
            : ("hg", ["-R", autoland, "cat", "-r", "tip", "path:" + path])
        guard let out = try? ProcessRunner.run(tool, arguments, extraEnvironment: Self.environment), out.status == 0 else { return nil }
        return out.stdoutString
    }

    @discardableResult
    private func commitInGecko(message: String) throws -> String {
        if kind == .git {
            try run("git", ["add", "-A"], in: gecko)
            try run("git", ["commit", "-q", "-m", message], in: gecko)
        } else {
            try run("hg", ["commit", "-A", "-q", "-m", message], in: gecko)
        }
        return try head()
    }

    private func head() throws -> String {
        kind == .git ? try run("git", ["rev-parse", "HEAD"], in: gecko) : try run("hg", ["log", "-r", ".", "-T", "{node}"], in: gecko)
    }

    private func pushToAutoland(_ node: String) throws {
        if kind == .git {
            try run("git", ["push", "-q", autoland, "\(node):refs/heads/autoland"], in: gecko)
        } else {
            try run("hg", ["push", "-q", "-r", node, autoland], in: gecko)
        }
    }
}
