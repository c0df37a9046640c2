import Foundation
import RepoOps
import WPTSyncKit

/// The demo's repositories and configuration, made with the real `hg` and `git` commands.
struct DemoWorld {
    let folder: String
    var gecko: String { folder + "/gecko" }
    var autoland: String { folder + "/autoland" }
    var central: String { folder + "/mozilla-central" }
    var mirror: String { folder + "/wpt.git" }
    var upstream: String { folder + "/github/wpt.git" }
    var upstreamClone: String { folder + "/wpt-upstream" }
    /// A contributor's fork on the local GitHub, where the downstream act's PR comes from.
    var fork: String { folder + "/github/alice-wpt.git" }
    /// The try repository (non-publishing, as Mozilla's is) and wptsync's clone of central for try commits.
    var tryRepository: String { folder + "/try" }
    var configFile: String { folder + "/wptsync.toml" }
    static let tokenVariable = "WPTSYNC_DEMO_GITHUB_TOKEN"
    static let bugzillaKeyVariable = "WPTSYNC_DEMO_BUGZILLA_KEY"
    static let webhookSecretVariable = "WPTSYNC_DEMO_WEBHOOK_SECRET"
    static let landingBug = 1000002

    /// Deterministic, user-independent settings for the demo's hg and git commands.
    static let environment = [
        "HGPLAIN": "1", "HGRCPATH": "", "HGUSER": "Demo Developer <dev@example.com>", "HGENCODING": "utf-8",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Upstream Author", "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Upstream Author", "GIT_COMMITTER_EMAIL": "author@example.com",
    ]

    /// Creates the repositories; the upstream on the local GitHub starts with Gecko's wpt tree.
    func create() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let readme = "The web-platform-tests, as vendored into Gecko.\n"
        try run("git", ["init", "-q", "--bare", "-b", "master", mirror])
        try run("git", ["init", "-q", "--bare", "-b", "master", upstream])
        try run("git", ["init", "-q", "-b", "master", upstreamClone])
        try write(upstreamClone + "/README.md", readme)
        try run("git", ["add", "-A"], in: upstreamClone)
        try run("git", ["commit", "-q", "-m", "Initial upstream"], in: upstreamClone)
        try run("git", ["push", "-q", upstream, "master"], in: upstreamClone)
        try run("git", ["push", "-q", mirror, "master"], in: upstreamClone)
        let initial = try run("git", ["rev-parse", "HEAD"], in: upstreamClone)

        try run("hg", ["init", gecko])
        try write(gecko + "/testing/web-platform/tests/README.md", readme)
        try write(gecko + "/testing/web-platform/meta/mozilla-sync", "local: 0000000000000000000000000000000000000000\nupstream: \(initial)\n")
        try write(gecko + "/testing/web-platform/moz.build", """
            with Files("**"):
                BUG_COMPONENT = ("Testing", "web-platform-tests")

            with Files("tests/css/css-grid/**"):
                BUG_COMPONENT = ("Core", "Layout: Grid")

            """)
        try write(gecko + "/dom/base/Document.cpp", "// Gecko\n")
        try run("hg", ["commit", "-A", "-q", "-m", "Initial import"], in: gecko)
        for repository in [autoland, central, tryRepository] {
            try run("hg", ["init", repository])
            try run("hg", ["push", "-q", repository], in: gecko)
        }
        try write(tryRepository + "/.hg/hgrc", "[phases]\npublish = False\n")
    }

    /// Writes the configuration, pointing at the local services: GitHub at `apiURL`, Treestatus at
    /// `treestatusURL`, Bugzilla's REST API at `bugzillaURL`, Taskcluster at `taskclusterURL`.
    func writeConfig(apiURL: String, treestatusURL: String, bugzillaURL: String, taskclusterURL: String) throws {
        try write(configFile, """
            # wptsync demo configuration (see the README for every key).
            [store]
            path = "state/wptsync.sqlite"

            [[gecko]]
            name = "autoland"
            path = "autoland"
            role = "integration"

            [[gecko]]
            name = "mozilla-central"
            path = "mozilla-central"
            role = "central"

            [wpt]
            path = "wpt.git"
            upstream_push_url = "\(upstream)"

            [github]
            api = "\(apiURL)"
            repo = "web-platform-tests/wpt"
            token_env = "\(Self.tokenVariable)"

            [landing]
            repository = "autoland"
            bug = \(Self.landingBug)
            treestatus_url = "\(treestatusURL)"

            [serve]
            listen = "127.0.0.1:0"
            secret_env = "\(Self.webhookSecretVariable)"

            [downstream]
            bugzilla_url = "\(bugzillaURL)"
            bugzilla_api_key_env = "\(Self.bugzillaKeyVariable)"
            taskcluster_url = "\(taskclusterURL)"
            try_repository = "try"
            clone = "state/try-clone"
            poll_seconds = 0.001
            reconcile_seconds = 0

            [log]
            file = "state/wptsync.jsonl"

            """)
    }

    /// Commits one file in the developer's clone (nil contents removes it) and pushes to autoland; returns the node.
    func landInGecko(path: String, contents: String, message: String) throws -> String {
        try write(gecko + "/" + path, contents)
        try run("hg", ["commit", "-A", "-q", "-m", message], in: gecko)
        let node = try run("hg", ["log", "-r", ".", "-T", "{node}"], in: gecko)
        try run("hg", ["push", "-q", "-r", node, autoland], in: gecko)
        return node
    }

    /// Backs out `node` in the developer's clone and pushes to autoland; returns the backout's node.
    func backOut(_ node: String, bug: Int) throws -> String {
        try run("hg", ["backout", "-q", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug \(bug)) for causing failures"], in: gecko)
        let backout = try run("hg", ["log", "-r", ".", "-T", "{node}"], in: gecko)
        try run("hg", ["push", "-q", autoland], in: gecko)
        return backout
    }

    /// Pushes everything autoland has to mozilla-central, as the daily merge does.
    func mergeToCentral() throws {
        try run("hg", ["push", "-q", central], in: autoland)
    }

    /// Commits one file upstream on a new branch of the local GitHub's repository (or of `repository`,
    /// a fork), for a PR.
    func pushUpstreamBranch(_ branch: String, path: String, contents: String, message: String, to repository: String? = nil) throws {
        try run("git", ["fetch", "-q", upstream, "master"], in: upstreamClone)
        try run("git", ["checkout", "-q", "-B", branch, "FETCH_HEAD"], in: upstreamClone)
        try write(upstreamClone + "/" + path, contents)
        try run("git", ["add", "-A"], in: upstreamClone)
        try run("git", ["commit", "-q", "-m", message], in: upstreamClone)
        try run("git", ["push", "-q", repository ?? upstream, branch], in: upstreamClone)
    }

    /// Pushes upstream master to the mirror's master, as the mirror's updater does; returns the sha.
    func updateMirror() throws -> String {
        try run("git", ["--git-dir", upstream, "push", "-q", mirror, "master:master"])
        return try run("git", ["--git-dir", upstream, "rev-parse", "master"])
    }

    /// One line per autoland changeset after `revision`: short node and first line.
    func autolandLog(after revision: String) throws -> [String] {
        try run("hg", ["log", "-R", autoland, "-r", "\(revision)::tip - \(revision)", "-T", "{node|short} {desc|firstline}\n"])
            .split(separator: "\n").map(String.init)
    }

    /// The try commits in the try repository (those with a `try_task_config.json`), oldest first.
    func tryPushes() throws -> [String] {
        try run("hg", ["log", "-R", tryRepository, "-r", "file('path:try_task_config.json')", "-T", "{node}\n"])
            .split(separator: "\n").map(String.init)
    }

    /// A try commit's `try_task_config.json`.
    func tryTaskConfig(_ revision: String) throws -> String {
        try run("hg", ["-R", tryRepository, "cat", "-r", revision, "path:try_task_config.json"])
    }

    /// A file of autoland's tip, or nil.
    func autolandFile(_ path: String) -> String? {
        guard let out = try? ProcessRunner.run("hg", ["-R", autoland, "cat", "-r", "tip", "path:" + path], extraEnvironment: Self.environment),
              out.status == 0 else { return nil }
        return out.stdoutString
    }

    /// A file's content on a branch of the upstream repository, or nil.
    func upstreamFile(_ path: String, on branch: String) -> String? {
        guard let out = try? ProcessRunner.run("git", ["--git-dir", upstream, "show", "\(branch):\(path)"]), out.status == 0 else { return nil }
        return out.stdoutString
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        try ProcessRunner.check(tool, arguments, in: directory, extraEnvironment: Self.environment)
            .stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func write(_ path: String, _ contents: String) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
