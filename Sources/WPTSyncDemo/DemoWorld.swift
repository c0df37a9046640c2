import Foundation
import RepoOps
import SyncCore
import WPTSyncKit

/// The demo's repositories and configuration, made with the real `hg` and `git` commands.
/// Gecko is Mercurial, or git (`kind`): then autoland and mozilla-central are bare git repositories
/// whose branches `autoland` and `main` play the roles, and landing goes through a local Lando.
struct DemoWorld {
    let folder: String
    let kind: GeckoKind
    /// The developer's clone, where Gecko changes are made.
    var gecko: String { folder + "/gecko" }
    var autoland: String { folder + (kind == .git ? "/autoland.git" : "/autoland") }
    var central: String { folder + (kind == .git ? "/mozilla-central.git" : "/mozilla-central") }
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
    /// Read by the worker and by `wptsync serve`'s sheriff page, whose landings go through Lando too.
    static let landoTokenFile = "state/lando-token"
    /// The repository the local Lando lands on: autoland's git repository, branch `autoland`.
    static let landoRepository = "firefox-autoland"
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

        try createGecko(readme: readme, syncPoint: "local: 0000000000000000000000000000000000000000\nupstream: \(initial)\n")
    }

    /// Writes the configuration, pointing at the local services: GitHub at `apiURL`, Treestatus at
    /// `treestatusURL` (autoland's tree; `treestatusTreesURL` lists the trees), Bugzilla's REST API
    /// at `bugzillaURL`, Taskcluster at `taskclusterURL` and Treeherder at `treeherderURL`, and with
    /// git Gecko Lando at `landoURL`.
    func writeConfig(apiURL: String, treestatusURL: String, treestatusTreesURL: String, bugzillaURL: String, taskclusterURL: String, treeherderURL: String,
                     landoURL: String? = nil) throws {
        let lando = landoURL.map {
            "lando_url = \"\($0)\"\nlando_repo = \"\(Self.landoRepository)\"\nlando_token_file = \"\(Self.landoTokenFile)\"\nlando_poll_seconds = 0.02\n"
        } ?? ""
        try write(configFile, """
            # wptsync demo configuration (see the README for every key).
            [store]
            path = "state/wptsync.sqlite"

            [[gecko]]
            name = "autoland"
            path = "\(URL(fileURLWithPath: autoland).lastPathComponent)"
            role = "integration"
            \(kind == .git ? "kind = \"git\"\nbranch = \"autoland\"" : "")

            [[gecko]]
            name = "mozilla-central"
            path = "\(URL(fileURLWithPath: central).lastPathComponent)"
            role = "central"
            \(kind == .git ? "kind = \"git\"\nbranch = \"main\"" : "")

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
            \(lando)
            [serve]
            listen = "127.0.0.1:0"
            secret_env = "\(Self.webhookSecretVariable)"

            \(downstream(bugzillaURL: bugzillaURL, taskclusterURL: taskclusterURL))
            \(autolandConfig(treeherderURL: treeherderURL, taskclusterURL: taskclusterURL, treestatusTreesURL: treestatusTreesURL,
                             bugzillaURL: bugzillaURL))
            [log]
            file = "state/wptsync.jsonl"

            """)
    }

    /// `[downstream]`: try commits are built in a clone of mozilla-central of its kind and pushed to
    /// try; with git, as production's, through Lando's try API (`[landing]`'s Lando and token), which
    /// force-pushes them to try's branch `try`.
    private func downstream(bugzillaURL: String, taskclusterURL: String) -> String {
        """
        [downstream]
        \(kind == .git ? "try_push = \"lando\"" : "")
        bugzilla_url = "\(bugzillaURL)"
        bugzilla_api_key_env = "\(Self.bugzillaKeyVariable)"
        taskcluster_url = "\(taskclusterURL)"
        try_repository = "try"
        clone = "state/try-clone"
        poll_seconds = 0.001
        reconcile_seconds = 0
        triage_default = "\(DemoDownstreamAct.triageContact)"

        """
    }

    /// The try repository's `[[gecko]]` entry (with git Gecko, a git repository whose branch `try` is pushed to) and `[autoland]`.
    /// The sheriff page's decisions read the Bugzilla key from a file, as `wptsync serve` would; so
    /// are Treeherder's sign-in tokens (notes on the jobs that fail again).
    private func autolandConfig(treeherderURL: String, taskclusterURL: String, treestatusTreesURL: String, bugzillaURL: String) -> String {
        """
        [[gecko]]
        name = "try"
        path = "try"
        role = "try"
        \(kind == .git ? "kind = \"git\"" : "")

        [autoland]
        groups_file = "autoland-groups"
        treeherder_url = "\(treeherderURL)"
        taskcluster_url = "\(taskclusterURL)"
        treestatus_url = "\(treestatusTreesURL)"
        bugzilla_url = "\(bugzillaURL)"
        bugzilla_api_key_file = "state/bugzilla-key"
        treeherder_access_token_file = "state/treeherder-access-token"
        treeherder_id_token_file = "state/treeherder-id-token"
        poll_seconds = 0.001

        """
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

    /// A file's content on a branch of the upstream repository, or nil.
    func upstreamFile(_ path: String, on branch: String) -> String? {
        guard let out = try? ProcessRunner.run("git", ["--git-dir", upstream, "show", "\(branch):\(path)"]), out.status == 0 else { return nil }
        return out.stdoutString
    }

    @discardableResult
    func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        try ProcessRunner.check(tool, arguments, in: directory, extraEnvironment: Self.environment)
            .stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ path: String, _ contents: String) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
