import Foundation
import LocalServices
import Remote
import RepoOps
import TestSupport

/// A local Lando landing into a real bare `firefox` repository whose `autoland` branch holds a
/// README and a wpt test, and a clone of it (branch `autoland`, remote `origin`) to write
/// commits in and take `git format-patch` output from.
final class LandoWorld {
    static let repository = "firefox-autoland"
    static let token = "test-lando-token"

    let dir = TempDir("lando")
    let lando: LocalLando
    var bare: String { dir.sub("firefox.git") }
    var clone: String { dir.sub("clone") }

    init(automatic: Bool = false, tokens: [String: LandoUser] = LocalLando.defaultTokens,
         extra: [LandoRepository] = [], deferRetry: TimeInterval = 0) throws {
        let dir = self.dir
        try git(["init", "-q", "--bare", "-b", "autoland", dir.sub("firefox.git")], in: dir.path)
        try git(["clone", "-q", dir.sub("firefox.git"), dir.sub("clone")], in: dir.path)
        try git(["symbolic-ref", "HEAD", "refs/heads/autoland"], in: dir.sub("clone"))
        try writeFile(dir.sub("clone/README"), "line 1\nline 2\n")
        try writeFile(dir.sub("clone/testing/web-platform/tests/a.html"), "<p>a</p>\n")
        try git(["add", "-A"], in: dir.sub("clone"))
        try git(["commit", "-q", "-m", "Bug 1 - initial"], in: dir.sub("clone"))
        try git(["push", "-q", "origin", "autoland"], in: dir.sub("clone"))
        lando = try LocalLando(repositories: [LandoRepository(name: Self.repository, path: dir.sub("firefox.git"),
                                                              branch: "autoland", tree: "autoland")] + extra,
                               tokens: tokens, automatic: automatic, deferRetry: deferRetry)
    }

    deinit { lando.stop() }

    /// Commits `files` in the clone and returns the commit's `git format-patch` output.
    @discardableResult
    func commit(_ files: [String: String], message: String, author: String? = nil) throws -> [UInt8] {
        for (path, contents) in files { try writeFile("\(clone)/\(path)", contents) }
        try git(["add", "-A"], in: clone)
        try git(["commit", "-q", "-m", message] + (author.map { ["--author", $0] } ?? []), in: clone)
        return try gitBytes(["format-patch", "-1", "--always", "--stdout", "HEAD"], in: clone)
    }

    /// The commit `rev` names in the bare repository.
    func landed(_ rev: String = "autoland") throws -> String { try git(["rev-parse", rev], in: bare) }

    /// The clone's `HEAD` tree.
    func cloneTree() throws -> String { try git(["rev-parse", "HEAD^{tree}"], in: clone) }

    func client(sleeper: any Sleeper = RecordingSleeper(), token: String = LandoWorld.token,
                retry: RetryPolicy = RetryPolicy()) -> LandoClient {
        LandoClient(url: lando.url, token: Token(token), http: HTTPClient(retryPolicy: retry, sleeper: sleeper))
    }
}
