import Foundation
import RepoOps

/// The bare git repository behind the local GitHub, driven through the `git` CLI with argument
/// arrays. Merges use plumbing only (`merge-tree --write-tree`, `commit-tree`, `update-ref`):
/// no work tree, no index.
struct BareRepository: Sendable {
    let path: String
    /// Identity of the commits the server writes, as GitHub's web-flow commits.
    static let committer = ["GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.com"]

    /// Creates a bare repository at `path` whose `HEAD` is `refs/heads/<defaultBranch>`.
    static func create(at path: String, defaultBranch: String) throws(LocalServiceError) -> BareRepository {
        let repository = BareRepository(path: path)
        try repository.git(["init", "--quiet", "--bare", "--initial-branch=\(defaultBranch)", path], inRepository: false)
        return repository
    }

    /// Every branch and its commit.
    func branches() throws(LocalServiceError) -> [String: String] {
        let out = try git(["for-each-ref", "--format=%(objectname) %(refname:lstrip=2)", "refs/heads/"])
        var result: [String: String] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { result[String(parts[1])] = String(parts[0]) }
        }
        return result
    }

    /// The commit a branch name, full ref or commit id names, or nil.
    func resolve(_ name: String) -> String? {
        guard !name.hasPrefix("-"),
              let out = try? git(["rev-parse", "--verify", "--quiet", "--end-of-options", "\(name)^{commit}"])
        else { return nil }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits reachable from `head` but not from `base`, oldest first.
    func commits(from base: String, to head: String) throws(LocalServiceError) -> [String] {
        try git(["rev-list", "--reverse", "--topo-order", "\(head)", "^\(base)"]).split(separator: "\n").map(String.init)
    }

    func mergeBase(_ a: String, _ b: String) -> String? {
        (try? git(["merge-base", a, b]))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func deleteBranch(_ branch: String) throws(LocalServiceError) {
        try git(["update-ref", "-d", "refs/heads/\(branch)"])
    }

    /// Moves `branch` from `old` to `new`, failing if it moved meanwhile.
    func moveBranch(_ branch: String, to new: String, from old: String) throws(LocalServiceError) {
        try git(["update-ref", "refs/heads/\(branch)", new, old])
    }

    /// Moves `branch` from `old` to `new` by a push into the repository itself, as a landing service
    /// pushes: the repository's hooks run. Fails if the branch moved meanwhile.
    func pushBranch(_ branch: String, to new: String, from old: String) throws(LocalServiceError) {
        try git(["push", "--quiet", "--force-with-lease=refs/heads/\(branch):\(old)", "--", path, "\(new):refs/heads/\(branch)"])
    }

    /// The tree of merging `theirs` into `ours` (their merge base as base), or nil on a conflict.
    func mergedTree(_ ours: String, _ theirs: String) throws(LocalServiceError) -> String? {
        let out = try run(["merge-tree", "--write-tree", "--no-messages", ours, theirs])
        guard out.status == 0 else { return nil }
        return out.stdoutString.split(separator: "\n").first.map(String.init)
    }

    /// Applies `commit`'s change onto `onto` like `git cherry-pick`, keeping its author and
    /// message; returns the new commit, or nil on a conflict.
    func cherryPick(_ commit: String, onto: String) throws(LocalServiceError) -> String? {
        let parent = try git(["rev-parse", "\(commit)^"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // merge-tree in git 2.39 has no --merge-base option: a throwaway commit with `onto`'s tree
        // and `commit`'s parent makes that parent the merge base, as a cherry-pick needs.
        let stand = try commitTree(tree: "\(onto)^{tree}", parents: [parent], message: Array("cherry-pick base\n".utf8))
        guard let tree = try mergedTree(stand, commit) else { return nil }
        let author = try git(["log", "-1", "--format=%an%x00%ae%x00%ad", "--date=raw", commit])
            .trimmingCharacters(in: .newlines).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard author.count == 3 else { throw .git("cannot read the author of \(commit)") }
        return try commitTree(tree: tree, parents: [onto], message: message(of: commit), author: author)
    }

    /// The raw message of `commit`, exactly as stored.
    func message(of commit: String) throws(LocalServiceError) -> [UInt8] {
        let raw = try run(["cat-file", "commit", commit]).stdout
        guard let start = raw.firstRange(of: Array("\n\n".utf8))?.upperBound else { return [] }
        return Array(raw[start...])
    }

    /// Writes a commit; the author is `[name, email, raw date]` or the committer.
    func commitTree(tree: String, parents: [String], message: [UInt8], author: [String]? = nil) throws(LocalServiceError) -> String {
        var environment = Self.committer
        environment["GIT_AUTHOR_NAME"] = author?[0] ?? "GitHub"
        environment["GIT_AUTHOR_EMAIL"] = author?[1] ?? "noreply@github.com"
        // The raw form "<epoch> <tz>" needs an "@" for git to read small epochs as seconds.
        if let date = author?[2] { environment["GIT_AUTHOR_DATE"] = date.hasPrefix("@") ? date : "@" + date }
        let arguments = ["commit-tree", tree] + parents.flatMap { ["-p", $0] }
        let out = try run(arguments, environment: environment, stdin: message)
        guard out.status == 0 else { throw .git("commit-tree failed: \(out.stderrString)") }
        return out.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ arguments: [String], inRepository: Bool = true) throws(LocalServiceError) -> String {
        let out = try run(arguments, inRepository: inRepository)
        guard out.status == 0 else {
            throw .git("git \(arguments.joined(separator: " ")) exited with \(out.status): \(out.stderrString)")
        }
        return out.stdoutString
    }

    func run(
        _ arguments: [String], inRepository: Bool = true, environment: [String: String] = [:], stdin: [UInt8] = []
    ) throws(LocalServiceError) -> ProcessOutput {
        let prefix = inRepository ? ["--git-dir", path] : []
        // Independent of the user's and the system's configuration.
        var extra = ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "LC_ALL": "C"]
        extra.merge(environment) { $1 }
        do {
            return try ProcessRunner.run("git", prefix + arguments, extraEnvironment: extra, stdin: stdin)
        } catch {
            throw .git("\(error)")
        }
    }
}
