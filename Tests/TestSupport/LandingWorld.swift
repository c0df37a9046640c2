import Foundation
import LocalServices
import Remote
import RepoOps

/// An `UpstreamWorld` set up for landings: Gecko records the upstream commit its wpt matches in
/// `testing/web-platform/meta/mozilla-sync`, the mirror holds upstream master, a local Treestatus
/// serves autoland's state, and `[landing]` imports into autoland.
public final class LandingWorld: @unchecked Sendable {
    public let upstreamWorld: UpstreamWorld
    public let treestatus: LocalTreestatus
    public var world: SyncWorld { upstreamWorld.world }
    public var github: LocalGitHub { upstreamWorld.github }
    public let bug = 1_500_000
    /// wptsync's landing clone (configured explicitly so tests can add hooks to it).
    public let clonePath: String

    public init(extraLandingConfig: String = "", extraConfig: String = "",
                tokens: (github: String, approver: String) = ("test-token", "approver-token")) throws {
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

            """ + extraConfig, tokens: tokens)
        self.treestatus = treestatus
        let initial = try upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try world.landInGecko(["testing/web-platform/meta/mozilla-sync": "local: 0\nupstream: \(initial)\n"],
                              message: "Bug 1 - Record the wpt sync point. r=me")
        try world.gecko.hg(["push", "-q", world.central])
        try syncMirror()
        try upstreamWorld.processUntilSettled()
    }

    deinit { treestatus.stop() }

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
        try world.gecko.hg(["pull", "-q", "-u", world.autoland])
        return try world.landInGecko(files, message: message)
    }

    /// `hg` in autoland (or another repository).
    public func hg(_ arguments: [String], in repository: String? = nil) throws -> String {
        try sh("hg", ["-R", repository ?? world.autoland] + arguments)
    }

    /// A file of autoland's tip, or nil when it does not exist there.
    public func autolandFile(_ path: String) throws -> String? {
        let result = try ProcessRunner.run("hg", ["-R", world.autoland, "cat", "-r", "tip", "path:" + path], extraEnvironment: testEnvironment)
        return result.status == 0 ? result.stdoutString : nil
    }

    /// Autoland's changesets after `revision`, oldest first, as "first line of description".
    public func autolandSummaries(after revision: String) throws -> [String] {
        try hg(["log", "-r", "\(revision)::tip - \(revision)", "-T", "{desc|firstline}\n"]).split(separator: "\n").map(String.init)
    }

    public var autolandTip: String {
        get throws { try hg(["log", "-r", "tip", "-T", "{node}"]) }
    }

    /// `wptsync landings --json`, one dictionary per landing, newest first.
    public func landings() throws -> [[String: Any]] {
        try world.wptsync(["landings", "--json"]).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
