import Foundation
import LocalServices
import Remote
import TestSupport


/// A local GitHub over a fresh bare repository whose `master` has one commit, a work clone to
/// make commits in, and a client for it that records sleeps instead of sleeping.
final class Fixture: @unchecked Sendable {
    let directory = TempDir("github")
    let github: LocalGitHub
    let sleeper = RecordingSleeper()
    let cache = InMemoryETagCache()
    var client: GitHubClient
    var work: String { directory.sub("work") }

    static let botToken = Token("bot-token")
    static let approverToken = Token("approver-token")
    static let personToken = Token("person-token")

    init(now: @escaping @Sendable () -> Date = { Date() }) throws {
        github = try LocalGitHub(
            repositoryPath: directory.sub("wpt.git"),
            users: ["bot-token": "wpt-sync-bot", "approver-token": "wpt-approver", "person-token": "a-person"], now: now)
        let http = HTTPClient(sleeper: sleeper, random: { 0 }, etagCache: cache)
        client = GitHubClient(
            apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!,
            token: Self.botToken, http: http)
        try sh("git", ["init", "-q", "-b", "master", work])
        try commit(["README.md": "wpt\n"], message: "Initial commit")
        try git("push", "-q", github.repositoryPath, "master")
    }

    deinit { github.stop() }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try sh("git", arguments, in: work).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits `files` in the work clone on the current branch; returns the commit id.
    @discardableResult
    func commit(_ files: [String: String], message: String, author: String = "Gecko Dev <dev@mozilla.example>") throws -> String {
        for (path, contents) in files { try writeFile("\(work)/\(path)", contents) }
        try git("add", "-A")
        try git("commit", "-q", "--author", author, "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Creates `branch` from the bare repository's master with one commit per entry of
    /// `commits` and force-pushes it; returns the head commit.
    @discardableResult
    func pushBranch(_ branch: String, commits: [(files: [String: String], message: String)]) throws -> String {
        try git("fetch", "-q", github.repositoryPath, "+master:refs/remotes/origin/master")
        try git("checkout", "-q", "-B", branch, "refs/remotes/origin/master")
        var head = ""
        for entry in commits { head = try commit(entry.files, message: entry.message) }
        try git("push", "-q", "-f", github.repositoryPath, "\(branch):refs/heads/\(branch)")
        return head
    }

    /// `git` in the bare repository.
    func bare(_ arguments: String...) throws -> String {
        try sh("git", ["--git-dir", github.repositoryPath] + arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func requests(_ method: String, _ pathSuffix: String) -> [RecordedRequest] {
        github.requests.filter { $0.method == method && $0.path.hasSuffix(pathSuffix) }
    }
}

func branch(_ name: String) -> BranchName { BranchName(name)! }
