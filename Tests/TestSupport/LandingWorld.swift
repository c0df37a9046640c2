import Foundation
import LocalServices
import Remote
import RepoOps
import SyncCore

/// An `UpstreamWorld` set up for landings: Gecko (Mercurial, or git with branches `autoland` and
/// `main`) records the upstream commit its wpt matches in `testing/web-platform/meta/mozilla-sync`,
/// the mirror holds upstream master, a local Treestatus serves autoland's state, and `[landing]`
/// imports into autoland: pushed directly, or, with `lando`, through a local Lando landing into
/// autoland's git repository.
public final class LandingWorld: @unchecked Sendable {
    public let upstreamWorld: UpstreamWorld
    public let treestatus: LocalTreestatus
    public var world: SyncWorld { upstreamWorld.world }
    public var github: LocalGitHub { upstreamWorld.github }
    public let bug = 1_500_000
    /// wptsync's landing clone (configured explicitly so tests can add hooks to it).
    public let clonePath: String
    public var geckoKind: GeckoKind { world.geckoKind }
    /// The local Lando (repository `firefox-autoland`, tree `autoland`), when landing through it.
    public private(set) var lando: LocalLando?

    /// `lando`: land through a local Lando (git only) whose worker runs jobs by itself when `automatic`.
    public init(extraLandingConfig: String = "", extraConfig: String = "",
                tokens: (github: String, approver: String) = ("test-token", "approver-token"),
                geckoKind: GeckoKind = .hg, store: StoreKind = .sqlite, lando: Bool = false, automatic: Bool = true) throws {
        let treestatus = try LocalTreestatus(trees: ["autoland"])
        let dir = TempDir("landing-world")
        clonePath = dir.sub("landing-clone")
        upstreamWorld = try UpstreamWorld(extraConfig: """
            [landing]
            repository = "autoland"
            bug = \(bug)
            clone = "\(clonePath)"
            treestatus_url = "\(treestatus.url(tree: "autoland"))"
            retry_seconds = 0.001
            \(extraLandingConfig)

            """ + extraConfig, tokens: tokens, geckoKind: geckoKind, store: store)
        self.treestatus = treestatus
        if lando {
            let local = try LocalLando(repositories: [LandoRepository(name: "firefox-autoland", path: upstreamWorld.world.autoland,
                                                                      branch: "autoland", tree: "autoland")],
                                       automatic: automatic, deferRetry: 0.05)
            let config = try String(contentsOfFile: upstreamWorld.world.config, encoding: .utf8)
            try writeFile(upstreamWorld.world.config, config.replacingOccurrences(of: "[landing]\n", with: """
                [landing]
                lando_url = "\(local.url)"
                lando_repo = "firefox-autoland"
                lando_token_env = "WPTSYNC_TEST_LANDO_TOKEN"
                lando_poll_seconds = 0.02
                lando_wait_seconds = 120

                """))
            upstreamWorld.world.environment["WPTSYNC_TEST_LANDO_TOKEN"] = LocalLando.defaultTokens.keys.first
            self.lando = local
            // wptsync reads a job once per pass: the next pass reads what Lando's worker did meanwhile.
            if automatic { upstreamWorld.moreToRead = { [weak self] in try self?.landoJobUnread() ?? false } }
        }
        let initial = try upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try world.landInGecko(["testing/web-platform/meta/mozilla-sync": "local: 0\nupstream: \(initial)\n"],
                              message: "Bug 1 - Record the wpt sync point. r=me")
        try world.pushGecko(to: world.central)
        try syncMirror()
        try upstreamWorld.processUntilSettled()
    }

    deinit { treestatus.stop(); lando?.stop() }

    /// Pushes upstream master to the mirror, through the mirror's post-receive hook.
    public func syncMirror() throws {
        try upstreamWorld.git(["push", "-q", world.mirror, "master:master"])
    }

    /// Opens a PR upstream changing `files` (nil contents: delete) and adding `symlinks` (path:
    /// target), and merges it with `method`; returns its number.
    @discardableResult
    public func mergeUpstreamPR(_ files: [String: String?], symlinks: [String: String] = [:], title: String, method: MergeMethod = .merge,
                                author: String = "Upstream Author <author@example.com>") throws -> Int {
        let pr = try openUpstreamPR(files, symlinks: symlinks, title: title, author: author)
        _ = try upstreamClient.merge(pr.number, method: method)
        return pr.number
    }

    /// Opens a PR upstream (from a branch of upstream itself) changing `files` and adding `symlinks`;
    /// its head is also `refs/pull/<number>/head` upstream, as GitHub keeps it.
    public func openUpstreamPR(_ files: [String: String?], symlinks: [String: String] = [:], title: String,
                               author: String = "Upstream Author <author@example.com>") throws -> (number: Int, head: String, branch: String) {
        let clone = world.dir.sub("upstream-clone")
        if !FileManager.default.fileExists(atPath: clone) { try sh("git", ["clone", "-q", upstreamWorld.upstream, clone]) }
        try sh("git", ["fetch", "-q", "origin"], in: clone)
        let branch = "pr-\(UUID().uuidString.prefix(8).lowercased())"
        try sh("git", ["checkout", "-q", "-B", branch, "origin/master"], in: clone)
        for (path, contents) in files {
            if let contents { try writeFile("\(clone)/\(path)", contents) } else { try FileManager.default.removeItem(atPath: "\(clone)/\(path)") }
        }
        for (path, target) in symlinks {
            let link = URL(fileURLWithPath: "\(clone)/\(path)")
            try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
        }
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "--author", author, "-m", "\(title)\n\nUpstream details for \(title)."], in: clone)
        try sh("git", ["push", "-q", "origin", branch], in: clone)
        let head = try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
        let pr = try upstreamClient.createPullRequest(title: title, head: BranchName(branch)!, body: "Body of \(title)").pullRequest
        try sh("git", ["update-ref", "refs/pull/\(pr.number)/head", head], in: upstreamWorld.upstream)
        return (pr.number, head, branch)
    }

    /// wptsync's account on the upstream repository.
    public var upstreamClient: GitHubClient {
        GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!, token: Token("test-token"))
    }

    /// Pushes a commit straight to upstream master (no PR); returns its sha.
    @discardableResult
    public func pushToUpstreamMaster(_ files: [String: String], message: String) throws -> String {
        let clone = world.dir.sub("upstream-clone")
        if !FileManager.default.fileExists(atPath: clone) { try sh("git", ["clone", "-q", upstreamWorld.upstream, clone]) }
        try sh("git", ["fetch", "-q", "origin"], in: clone)
        try sh("git", ["checkout", "-q", "-B", "direct", "origin/master"], in: clone)
        for (path, contents) in files { try writeFile("\(clone)/\(path)", contents) }
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "--author", "Direct <direct@example.com>", "-m", message], in: clone)
        try sh("git", ["push", "-q", "origin", "direct:master"], in: clone)
        return try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Lands a Gecko change on autoland from the developer clone, updated to autoland's tip first
    /// (landings arrive there).
    @discardableResult
    public func landInGecko(_ files: [String: String], message: String) throws -> String {
        try updateDeveloperClone()
        return try world.landInGecko(files, message: message)
    }

    /// Brings the developer clone to autoland's tip.
    public func updateDeveloperClone() throws {
        guard geckoKind == .git else { try world.gecko.hg(["pull", "-q", "-u", world.autoland]); return }
        try sh("git", ["fetch", "-q", world.autoland, "autoland"], in: world.geckoClone)
        try sh("git", ["reset", "-q", "--hard", "FETCH_HEAD"], in: world.geckoClone)
    }

    /// Pushes autoland's tip to mozilla-central, through central's hook.
    public func pushAutolandToCentral() throws {
        guard geckoKind == .git else { _ = try hg(["push", "-q", world.central]); return }
        try sh("git", ["--git-dir", world.autoland, "push", "-q", world.central, "autoland:main"])
    }

    /// `hg` in autoland (or another repository).
    public func hg(_ arguments: [String], in repository: String? = nil) throws -> String {
        try sh("hg", ["-R", repository ?? world.autoland] + arguments)
    }

    /// `git` in autoland's git repository.
    public func git(_ arguments: [String]) throws -> String {
        try sh("git", ["--git-dir", world.autoland] + arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A file of autoland's tip, or nil when it does not exist there.
    public func autolandFile(_ path: String) throws -> String? {
        let result = geckoKind == .git
            ? try ProcessRunner.run("git", ["--git-dir", world.autoland, "cat-file", "-p", "autoland:" + path], extraEnvironment: testEnvironment)
            : try ProcessRunner.run("hg", ["-R", world.autoland, "cat", "-r", "tip", "path:" + path], extraEnvironment: testEnvironment)
        return result.status == 0 ? result.stdoutString : nil
    }

    /// Autoland's changesets after `revision`, oldest first, as "first line of description".
    public func autolandSummaries(after revision: String) throws -> [String] {
        let text = geckoKind == .git
            ? try git(["log", "--reverse", "--format=%s", "\(revision)..autoland"])
            : try hg(["log", "-r", "\(revision)::tip - \(revision)", "-T", "{desc|firstline}\n"])
        return text.split(separator: "\n").map(String.init)
    }

    /// The description and author (`Name <email>`) of autoland's commit `back` commits before its tip.
    public func autolandCommit(back: Int = 0) throws -> (description: String, author: String, files: String) {
        guard geckoKind == .git else {
            let rev = "tip~\(back)"
            return (try hg(["log", "-r", rev, "-T", "{desc}"]), try hg(["log", "-r", rev, "-T", "{author}"]),
                    try hg(["log", "-r", rev, "-T", "{files}"]))
        }
        let rev = "autoland~\(back)"
        return (try git(["log", "-1", "--format=%B", rev]), try git(["log", "-1", "--format=%an <%ae>", rev]),
                try git(["diff-tree", "--no-commit-id", "--name-only", "-r", rev]).split(separator: "\n").joined(separator: " "))
    }

    public var autolandTip: String {
        get throws { geckoKind == .git ? try git(["rev-parse", "autoland"]) : try hg(["log", "-r", "tip", "-T", "{node}"]) }
    }

    /// `wptsync landings --json`, one dictionary per landing, newest first.
    /// Waits (bounded) while Lando has a job submitted or in progress; then whether a deferred
    /// landing waits for a job Lando has finished (landed, failed or cancelled), which wptsync reads
    /// at its next pass.
    func landoJobUnread() throws -> Bool {
        guard let lando else { return false }
        _ = waitUntil(limit: 60) { !lando.jobs.contains { $0.status == .submitted || $0.status == .inProgress } }
        return try landings().contains { landing in
            guard landing["status"] as? String == "deferred", let id = landing["lando_job"] as? Int else { return false }
            return lando.jobs.first { $0.id == id }?.status.isFinal == true
        }
    }

    public func landings() throws -> [[String: Any]] {
        try world.wptsync(["landings", "--json"]).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
