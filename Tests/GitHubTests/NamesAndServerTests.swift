import Foundation
import LocalServices
import Remote
import TestSupport
import Testing

@Suite struct NamesTests {
    @Test(arguments: ["gecko/1234", "gecko/1234-2", "gecko/node-0123abcd", "a.b/c_d"])
    func validBranchNames(name: String) {
        #expect(BranchName(name)?.rawValue == name)
    }

    @Test(arguments: ["", "-x", "gecko/", "/gecko", "gecko//1", "gecko/.x", "gecko/x.lock", "a..b", "a@{b", "@",
                      "HEAD", "a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a\u{7f}", "a\nb", "x."])
    func invalidBranchNames(name: String) {
        #expect(BranchName(name) == nil)
        #expect(BranchName.problem(with: name) != nil)
    }

    @Test func branchNamesFromRemoteJSONAreValidated() throws {
        #expect(throws: RemoteError.self) { try JSONCoding.decode([BranchName].self, from: Array(#"["ok", "--upload-pack=x"]"#.utf8)) }
        #expect(try JSONCoding.decode([BranchName].self, from: Array(#"["gecko/1"]"#.utf8)) == [BranchName("gecko/1")!])
    }

    @Test func repositoryNames() {
        #expect(RepositoryName("web-platform-tests/wpt")?.owner == "web-platform-tests")
        #expect(RepositoryName("a/b/c") == nil)
        #expect(RepositoryName("../wpt") == nil)
        #expect(RepositoryName("a/b?x") == nil)
    }
}

@Suite struct LocalServerTests {
    @Test func unknownTokenIs401AndUnknownRepo404() throws {
        let f = try Fixture()
        var other = f.client
        other.token = Token("wrong")
        #expect(throws: RemoteError.self) { try other.pullRequest(1) }
        #expect(f.github.requests.last?.status == 401)
        let elsewhere = GitHubClient(apiBaseURL: f.github.baseURL, repository: RepositoryName("someone/else")!, token: Fixture.botToken, http: f.client.http)
        #expect(throws: RemoteError.self) { try elsewhere.pullRequest(1) }
        #expect(f.github.requests.last?.status == 404)
    }

    @Test func aTokenEchoedAcrossTheExcerptsEndIsRedactedWhole() throws {
        let f = try Fixture()
        let token = "s3cr3t-echoed-token-0123456789"
        var client = f.client
        client.token = Token(token)
        // The body is `{"message":"…`: the echoed token starts at its 190th character, across the
        // 200-character excerpt's end.
        f.github.injectFault(.errorMessage(status: 401, message: String(repeating: "x", count: 178) + token + " was refused"))
        let error = try #require(throws: RemoteError.self) { try client.pullRequest(1) }
        #expect(error.httpStatus == 401)
        #expect(!"\(error)".contains(token.prefix(6)) && "\(error)".contains("<redacted>"), "\(error)")
    }

    @Test func stopEndsHangingRequestsPromptly() throws {
        let f = try Fixture()
        f.github.injectFault(.hang)
        var neverRetrying = f.client
        neverRetrying.http.retryPolicy = .never
        let client = neverRetrying
        let finished = DispatchSemaphore(value: 0)
        Thread {
            _ = try? client.pullRequest(1)
            finished.signal()
        }.start()
        // Wait until the server holds the request.
        let deadline = Date().addingTimeInterval(5)
        while f.github.requests.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let start = Date()
        f.github.stop()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(Date().timeIntervalSince(start) < 2)
        f.github.stop()  // idempotent
    }
}

extension LocalServerTests {
    /// PyGithub, a real client, against the server (skipped when PyGithub is not installed).
    @Test(.enabled(if: PythonCrossCheck.available("github"))) func pyGithubAcceptsTheServer() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/1", commits: [(["a.html": "a"], "Add a")])
        let out = try PythonCrossCheck.run("pygithub_against_local_github.py", environment: [
            "LOCAL_GITHUB_URL": f.github.baseURL, "LOCAL_GITHUB_TOKEN": "bot-token",
            "LOCAL_GITHUB_APPROVER_TOKEN": "approver-token", "LOCAL_GITHUB_BRANCH": "gecko/1",
        ])
        #expect(out.status == 0, "\(out.output)")
        #expect(try f.bare("log", "-1", "--format=%s", "master") == "Add a")
    }
}
