import Foundation
import LocalServices
import Remote
import Testing

@Suite struct MergeTests {
    /// A PR of two commits on `gecko/42`, with master moved on by an unrelated commit.
    func openPR(_ f: Fixture) throws -> (number: Int, head: String) {
        let head = try f.pushBranch("gecko/42", commits: [
            (["css/a.html": "a"], "Add a\n\ngecko-commit: 1111"), (["css/b.html": "b"], "Add b\n\ngecko-commit: 2222"),
        ])
        try f.pushBranch("other", commits: [(["dom/c.html": "c"], "Upstream change")])
        try f.git("push", "-q", f.github.repositoryPath, "other:master")
        return (try f.client.createPullRequest(title: "[Gecko Bug 42] a and b", head: branch("gecko/42")).pullRequest.number, head)
    }

    @Test func rebaseMergeWritesTheCommitsOnMaster() throws {
        let f = try Fixture()
        let (number, head) = try openPR(f)
        #expect(try f.client.pullRequest(number).mergeable == true)
        let result = try f.client.merge(number, method: .rebase, expectedHeadSHA: head)
        let tip = try f.bare("rev-parse", "master")
        #expect(result == .merged(sha: tip))
        #expect(try f.bare("log", "--format=%s|%an|%cn", "master") == """
            Add b|Gecko Dev|GitHub
            Add a|Gecko Dev|GitHub
            Upstream change|Gecko Dev|Test User
            Initial commit|Gecko Dev|Test User
            """)
        #expect(try f.bare("log", "-1", "--format=%B", "master") == "Add b\n\ngecko-commit: 2222")
        #expect(try f.bare("ls-tree", "-r", "--name-only", "master") == "README.md\ncss/a.html\ncss/b.html\ndom/c.html")
        let merged = try f.client.pullRequest(number)
        #expect(merged.isMerged && merged.state == .closed && merged.mergeCommitSha == tip)
        #expect(try f.client.pullRequests(forCommit: tip).map(\.number) == [number])

        #expect(try f.client.deleteBranch(branch("gecko/42")) == .deleted)
        #expect(try f.bare("branch", "--list", "gecko/42").isEmpty)
        #expect(try f.client.deleteBranch(branch("gecko/42")) == .alreadyGone)
    }

    @Test func mergeAndSquashMethods() throws {
        let f = try Fixture()
        let (number, head) = try openPR(f)
        #expect(try f.client.merge(number, method: .merge) != .notMergeable(message: ""))
        #expect(try f.bare("rev-list", "--parents", "-1", "master").split(separator: " ").count == 3)
        #expect(try f.bare("merge-base", "--is-ancestor", head, "master").isEmpty)

        let g = try Fixture()
        let (squashed, _) = try openPR(g)
        _ = try g.client.merge(squashed, method: .squash)
        #expect(try g.bare("log", "-1", "--format=%s", "master") == "[Gecko Bug 42] a and b (#\(squashed))")
        #expect(try g.bare("rev-list", "--count", "master") == "3")
    }

    @Test func notMergeableAndHeadMovedAreTypedResults() throws {
        let f = try Fixture()
        let (number, head) = try openPR(f)
        let masterBefore = try f.bare("rev-parse", "master")
        f.github.setMergeable(number, false)
        guard case .notMergeable(let message) = try f.client.merge(number) else { Issue.record("expected 405"); return }
        #expect(message == "Pull Request is not mergeable")

        f.github.setMergeable(number, nil)
        try f.pushBranch("gecko/42", commits: [(["css/d.html": "d"], "Add d")])
        #expect(try f.client.merge(number, expectedHeadSHA: head) == .headMoved(message: "Head branch was modified. Review and try the merge again."))
        #expect(try f.bare("rev-parse", "master") == masterBefore)
        #expect(f.requests("PUT", "/merge").map(\.status) == [405, 409])
    }

    @Test func realConflictIsNotMergeable() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/9", commits: [(["README.md": "ours\n"], "Edit readme")])
        let number = try f.client.createPullRequest(title: "t", head: branch("gecko/9")).pullRequest.number
        try f.pushBranch("other", commits: [(["README.md": "theirs\n"], "Edit readme upstream")])
        try f.git("push", "-q", f.github.repositoryPath, "other:master")
        #expect(try f.client.pullRequest(number).mergeable == false)
        #expect(try f.client.pullRequest(number).mergeableState == "dirty")
        guard case .notMergeable = try f.client.merge(number) else { Issue.record("expected 405"); return }
    }

    @Test func retriedMergeWhoseAnswerWasLostCountsAsMerged() throws {
        let f = try Fixture()
        let (number, head) = try openPR(f)
        f.github.injectFault(.serverErrorAfterActing(status: 502), method: "PUT")
        guard case .merged(let sha) = try f.client.merge(number, expectedHeadSHA: head) else { Issue.record("expected merged"); return }
        #expect(sha == (try f.bare("rev-parse", "master")))
        #expect(try f.bare("rev-list", "--count", "master") == "4")  // replayed once, not twice
    }
}

@Suite struct ChecksTests {
    @Test func statusesAndCheckRuns() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/3", commits: [(["a.html": "a"], "Add a")])
        _ = try f.client.createPullRequest(title: "t", head: branch("gecko/3"))
        let status = try f.client.setStatus(sha: head, state: .success, context: "upstream/gecko", description: "Landed on mozilla-central")
        #expect(status.context == "upstream/gecko" && status.state == .success)
        let combined = try f.client.combinedStatus(ref: head)
        #expect(combined.state == .success && combined.sha == head && combined.statuses.map(\.description) == ["Landed on mozilla-central"])

        #expect(try f.client.checksVerdict(ref: head, required: ["wpt-chrome"]) == .pending(["wpt-chrome"]))
        f.github.setCheckRun(sha: head, name: "wpt-chrome", .inProgress)
        f.github.setCheckRun(sha: head, name: "lint", .queued)
        #expect(try f.client.checksVerdict(ref: head) == .pending(["lint", "wpt-chrome"]))
        f.github.setCheckRun(sha: head, name: "wpt-chrome", .success)
        f.github.setCheckRun(sha: head, name: "lint", .success)
        #expect(try f.client.checksVerdict(ref: head, required: ["wpt-chrome"]) == .success)
        f.github.setCheckRun(sha: head, name: "lint", .failure)
        #expect(try f.client.checksVerdict(ref: head) == .failure(["lint"]))
        #expect(try f.client.checkRuns(ref: head).map(\.conclusion) == ["success", "failure"])
    }

    @Test func conditionalRequestsAnswer304() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/3", commits: [(["a.html": "a"], "Add a")])
        f.github.setCheckRun(sha: head, name: "ci", .inProgress)
        let first = try f.client.checkRuns(ref: head)
        let second = try f.client.checkRuns(ref: head)
        #expect(first == second)
        let polls = f.requests("GET", "/check-runs")
        #expect(polls.map(\.status) == [200, 304])
        #expect(polls[1].headers["if-none-match"]?.hasPrefix("\"") == true, "a strong ETag")

        f.github.setCheckRun(sha: head, name: "ci", .success)
        #expect(try f.client.checkRuns(ref: head).first?.passed == true)
        #expect(f.requests("GET", "/check-runs").map(\.status) == [200, 304, 200])
    }

    @Test func rateLimitsAreWaitedOut() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/8", commits: [(["a.html": "a"], "Add a")])
        f.github.injectFault(.rateLimited(resetAfter: 120), method: "POST")
        let created = try f.client.createPullRequest(title: "t", head: branch("gecko/8"))
        #expect(!created.adopted && f.github.pullRequests.count == 1)
        let wait = try #require(f.sleeper.delays.first)
        #expect(wait > .seconds(115) && wait <= .seconds(122))

        f.github.injectFault(.secondaryRateLimit(retryAfter: 7), method: "GET")
        _ = try f.client.pullRequest(created.pullRequest.number)
        #expect(f.sleeper.delays.last == .seconds(7))
        #expect(f.requests("POST", "/pulls").map(\.status) == [403, 201])
    }

    @Test func serverErrorsOnReadsAreRetried() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/8", commits: [(["a.html": "a"], "Add a")])
        f.github.injectFault(.serverError(status: 503), count: 2, method: "GET", pathPrefix: "/repos/web-platform-tests/wpt/commits/")
        #expect(try f.client.combinedStatus(ref: head).state == .pending)
        #expect(f.sleeper.delays.count == 2)
    }

    @Test func rateLimitHeadersOnEveryAnswer() throws {
        let f = try Fixture()
        var request = HTTPRequest(.get, "\(f.github.baseURL)/repos/web-platform-tests/wpt")
        request.authorize(with: Fixture.botToken)
        let response = try f.client.http.send(request)
        #expect(response.headers["x-ratelimit-limit"] == "5000")
        #expect(Int(response.headers["x-ratelimit-remaining"] ?? "") ?? 0 < 5000)
        #expect(Double(response.headers["x-ratelimit-reset"] ?? "") ?? 0 > Date().timeIntervalSince1970)
    }
}
