import Foundation
import LocalServices
import Remote
import Synchronization
import Testing
import TestSupport

/// The reconciliation's requests on the local GitHub: PRs listed by update (a push to a PR's
/// branch moves it up, as on GitHub), answered 304 to a matching `If-None-Match` with no body and
/// no cost against the rate limit.
@Suite("Conditional listing of pull requests")
struct ConditionalListTests {
    final class Clock: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
        var now: Date { time.withLock { $0 } }
    }

    @Test func aPushToAPullRequestsBranchMovesItFirstInTheListingByUpdate() throws {
        let clock = Clock()
        let f = try Fixture(now: { clock.now })
        try f.pushBranch("one", commits: [(["a.html": "a"], "Add a")])
        _ = try f.client.createPullRequest(title: "One", head: branch("one"))
        clock.advance(60)
        try f.pushBranch("two", commits: [(["b.html": "b"], "Add b")])
        _ = try f.client.createPullRequest(title: "Two", head: branch("two"))
        #expect(try f.client.pullRequestsByUpdate(state: "all") { _ in true }.pulls.map(\.number) == [2, 1])

        clock.advance(60)
        let moved = try f.pushBranch("one", commits: [(["a.html": "a2"], "Change a")])
        let listed = try f.client.pullRequestsByUpdate(state: "all") { _ in true }.pulls
        #expect(listed.map(\.number) == [1, 2])
        #expect(listed.first?.head.sha == moved && listed.first?.updatedAt == clock.now)
        #expect(try f.client.pullRequestsByUpdate(state: "all") { _ in true }.notModified == 1)
    }

    @Test func pagingStopsWhenTheCallerHasWhatItWants() throws {
        var f = try Fixture()
        for name in ["a", "b", "c"] {
            try f.pushBranch(name, commits: [(["\(name).html": name], "Add \(name)")])
            _ = try f.client.createPullRequest(title: name, head: branch(name))
        }
        f.client.perPage = 1
        let firstOnly = try f.client.pullRequestsByUpdate(state: "open") { _ in false }
        #expect(firstOnly.pulls.count == 1 && f.requests("GET", "/pulls").count == 1)
        #expect(try f.client.pullRequestsByUpdate(state: "open") { _ in true }.pulls.count == 3)
    }

    @Test func aMatchingIfNoneMatchIs304WithoutBodyAndCostsNoRateLimit() throws {
        let f = try Fixture()
        let plain = HTTPClient()
        func get(_ ifNoneMatch: String? = nil) throws -> HTTPResponse {
            var request = HTTPRequest(.get, "\(f.github.baseURL)/repos/web-platform-tests/wpt/pulls?state=all&sort=updated&direction=desc")
            request.authorize(with: Fixture.botToken)
            if let ifNoneMatch { request.headers["If-None-Match"] = ifNoneMatch }
            return try plain.send(request)
        }
        let first = try get()
        let etag = try #require(first.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""), "a strong ETag: \(etag)")
        let remaining = first.headers["x-ratelimit-remaining"]
        for form in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let answer = try get(form)
            #expect(answer.status == 304 && answer.body.isEmpty && answer.headers["ETag"] == etag, "\(form)")
            #expect(answer.headers["x-ratelimit-remaining"] == remaining, "a 304 costs nothing")
        }
        let changed = try get("\"other\"")
        #expect(changed.status == 200 && changed.body == first.body)
        #expect(Int(changed.headers["x-ratelimit-remaining"] ?? "") == Int(remaining ?? "")! - 1)
    }
}

extension ConditionalListTests {
    /// PyGithub's conditional refresh (`update()`) and its requester with `If-None-Match` on the
    /// listing (skipped when PyGithub is not installed).
    @Test(.enabled(if: PythonCrossCheck.available("github"))) func pyGithubSeesTheETagsAnd304s() throws {
        let f = try Fixture()
        try f.pushBranch("grid", commits: [(["a.html": "a"], "Add a")])
        let out = try PythonCrossCheck.run("pygithub_conditional_requests.py", environment: [
            "LOCAL_GITHUB_URL": f.github.baseURL, "LOCAL_GITHUB_TOKEN": "bot-token", "LOCAL_GITHUB_BRANCH": "grid",
        ])
        #expect(out.status == 0, "\(out.output)")
        #expect(f.requests("GET", "/pulls").map(\.status).contains(304))
    }
}
