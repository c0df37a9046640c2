import Foundation
import Testing
@testable import SyncCore
import TestSupport

@Suite("Webhook payloads")
struct WebhookPayloadTests {
    func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func aPullRequestDeliveryGivesWhatTheDownstreamSyncNeeds() throws {
        let body = WebhookBodies.event("closed", WebhookBodies.pullRequest(state: "closed", mergedAt: "2026-11-20T10:00:00Z", mergedBy: "bob"))
        guard case let .pullRequest(pr, action) = try WebhookPayload.parse(event: "pull_request", body: body) else { Issue.record("not a PR"); return }
        #expect(action == "closed")
        #expect(pr == PullRequestObservation(
            number: 42, url: "https://github.com/web-platform-tests/wpt/pull/42", title: "Fix flexbox test", author: "alice",
            state: .merged, mergedBy: "bob", head: WebhookBodies.head, headBranch: "fix-flexbox", headRepository: "alice/wpt",
            base: "master", labels: ["infra"], updatedAt: date("2026-11-20T10:00:00Z")))
        #expect(try WebhookPayload.read(event: "pull_request", body: body).repository == "web-platform-tests/wpt")
        #expect(WebhookPayload.summary(event: "pull_request", observation: .pullRequest(pr, action: action)) == "pull_request closed #42")
    }

    @Test func reviewsChecksAndStatusesAreRead() throws {
        let review = Array("""
            {"action": "submitted", "review": {"user": {"login": "bob"}, "state": "APPROVED", "commit_id": "\(WebhookBodies.head)",
             "submitted_at": "2026-11-20T11:00:00Z"}, "pull_request": \(WebhookBodies.pullRequest())}
            """.utf8)
        guard case let .review(pr, approval) = try WebhookPayload.parse(event: "pull_request_review", body: review) else { Issue.record("no review"); return }
        #expect(pr.number == 42)
        #expect(approval == ReviewObservation(reviewer: "bob", state: .approved, commit: WebhookBodies.head, submittedAt: date("2026-11-20T11:00:00Z")))

        let run = Array("""
            {"action": "completed", "check_run": {"name": "wpt-chrome", "head_sha": "\(WebhookBodies.head)", "status": "completed",
             "conclusion": "failure", "started_at": "2026-11-20T11:00:00Z", "completed_at": "2026-11-20T11:30:00Z",
             "pull_requests": [{"number": 42}]}}
            """.utf8)
        #expect(try WebhookPayload.parse(event: "check_run", body: run) == .check(CheckObservation(
            kind: .checkRun, name: "wpt-chrome", commit: WebhookBodies.head, status: "completed", conclusion: "failure",
            pullRequests: [42], updatedAt: date("2026-11-20T11:30:00Z"))))

        let suite = Array("""
            {"action": "completed", "check_suite": {"app": {"name": "Taskcluster"}, "head_sha": "\(WebhookBodies.head)",
             "status": "completed", "conclusion": "success", "updated_at": "2026-11-20T11:40:00Z", "pull_requests": []}}
            """.utf8)
        #expect(try WebhookPayload.parse(event: "check_suite", body: suite) == .check(CheckObservation(
            kind: .checkSuite, name: "Taskcluster", commit: WebhookBodies.head, status: "completed", conclusion: "success",
            updatedAt: date("2026-11-20T11:40:00Z"))))

        let status = Array("""
            {"sha": "\(WebhookBodies.head)", "context": "upstream/gecko", "state": "success", "updated_at": "2026-11-20T12:00:00Z"}
            """.utf8)
        #expect(try WebhookPayload.parse(event: "status", body: status) == .check(CheckObservation(
            kind: .status, name: "upstream/gecko", commit: WebhookBodies.head, status: "success", updatedAt: date("2026-11-20T12:00:00Z"))))
        #expect(try WebhookPayload.parse(event: "ping", body: Array(#"{"zen": "Keep it simple.", "hook_id": 1}"#.utf8)) == .ping)
    }

    @Test func aBadBodyIsRefusedNamingTheFieldOrTheProblem() {
        func problem(_ event: String, _ body: String) -> String? {
            do { _ = try WebhookPayload.parse(event: event, body: Array(body.utf8)); return nil } catch { return error.description }
        }
        #expect(problem("pull_request", "{\"action\": ")?.hasPrefix("the pull_request delivery's body is not a JSON object: ") == true)
        #expect(problem("pull_request", "[1, 2]") == "the pull_request delivery's body is not a JSON object: it is an array")
        let noHead = WebhookBodies.pullRequest().replacingOccurrences(of: "\"sha\": \"\(WebhookBodies.head)\"", with: "\"sha\": null")
        #expect(problem("pull_request", String(decoding: WebhookBodies.event("opened", noHead), as: UTF8.self))
                == "the pull_request delivery's `pull_request.head.sha` is null, not a string")
        let badNumber = WebhookBodies.pullRequest().replacingOccurrences(of: "\"number\": 42", with: "\"number\": \"42\"")
        #expect(problem("pull_request", String(decoding: WebhookBodies.event("opened", badNumber), as: UTF8.self))
                == "the pull_request delivery's `pull_request.number` is a string, not a positive whole number")
        #expect(problem("pull_request", #"{"pull_request": {}}"#) == "the pull_request delivery's `pull_request.state` is missing")
        #expect(problem("status", #"{"sha": "abc", "context": "ci", "state": "success", "updated_at": "2026-11-20T12:00:00Z"}"#)
                == "the status delivery's `sha` is \"abc\", not a commit id (40 lowercase hex digits)")
        #expect(problem("push", "{}") == "wptsync does not read push events")
    }

    /// Only the fields wptsync reads are decoded; one of another kind is still named with its kind.
    @Test func aFieldOfAnotherKindIsNamedWithItsKind() {
        func problem(_ from: String, _ to: String) -> String? {
            let body = String(decoding: WebhookBodies.event("opened", WebhookBodies.pullRequest()), as: UTF8.self).replacingOccurrences(of: from, with: to)
            do { _ = try WebhookPayload.parse(event: "pull_request", body: Array(body.utf8)); return nil } catch { return error.description }
        }
        #expect(problem(#"[{"name": "infra", "color": "ededed"}]"#, #"["infra"]"#)
                == "the pull_request delivery's `pull_request.labels[0]` is a string, not an object")
        #expect(problem(#""number": 42"#, #""number": true"#) == "the pull_request delivery's `pull_request.number` is a boolean, not a positive whole number")
        #expect(problem(#""number": 42"#, #""number": 4.5"#) == "the pull_request delivery's `pull_request.number` is a number, not a positive whole number")
        #expect(problem(#""title": "Fix flexbox test""#, #""title": ["Fix"]"#) == "the pull_request delivery's `pull_request.title` is an array, not a string")
        #expect(problem(#""user": {"login": "alice", "id": 1}"#, #""user": "alice""#) == "the pull_request delivery's `pull_request.user` is a string, not an object")
        #expect(problem(#""base": {"#, #""unread": {"deep": [1, {"x": null}]}, "base": {"#) == nil)
    }

    @Test func theMetadataKeyIsFoundWhereverItIsInTheBody() {
        let key = WebhookPayload.metadataKey
        #expect(WebhookPayload.contains(Array("gecko-commit".utf8), key))
        #expect(WebhookPayload.contains(Array("ggecko-commit: abc".utf8), key))
        #expect(WebhookPayload.contains(Array("gecko-commi, then gecko-commit".utf8), key))
        #expect(!WebhookPayload.contains(Array("a gecko-commi".utf8), key))
        #expect(!WebhookPayload.contains(Array("gecko".utf8), key))
        #expect(!WebhookPayload.contains([], key))
    }

    @Test func wptsyncsOwnUpstreamPullRequestsAreIgnored() throws {
        func reason(branch: String = "fix", labels: [String] = [], body: String = "") throws -> String? {
            let bytes = WebhookBodies.event("opened", WebhookBodies.pullRequest(branch: branch, labels: labels, body: body))
            guard case let .pullRequest(pr, _) = try WebhookPayload.parse(event: "pull_request", body: bytes) else { return "?" }
            return DownstreamScope.ignoreReason(pr, syncLabel: "mozilla:gecko-sync")
        }
        #expect(try reason() == nil)
        #expect(try reason(branch: "gecko/1234567") == "opened by wptsync's upstream sync (branch gecko/1234567)")
        #expect(try reason(labels: ["mozilla:gecko-sync"]) == "opened by wptsync's upstream sync (label mozilla:gecko-sync)")
        #expect(try reason(body: "A change\n\ngecko-commits: \(String(repeating: "c", count: 40))\n") == "opened by wptsync's upstream sync (gecko-commits metadata)")
    }
}

@Suite("What wptsync has seen of a PR")
struct SeenPullRequestTests {
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    func pr(head: String, state: PullRequestObservation.State = .open, at offset: Double) -> PullRequestObservation {
        PullRequestObservation(number: 7, url: "u", title: "t", author: "alice", state: state, head: head, headBranch: "b",
                               base: "master", updatedAt: t.addingTimeInterval(offset))
    }

    @Test func anOlderDeliveryNeverReplacesNewerStateAndTheSameTwiceChangesNothing() {
        let newer = SeenPullRequest.merge(nil, pullRequest: pr(head: "2", at: 60), delivery: "d2", syncLabel: "l")
        let afterOld = SeenPullRequest.merge(newer, pullRequest: pr(head: "1", at: 0), delivery: "d1", syncLabel: "l")
        #expect(afterOld == newer)
        #expect(SeenPullRequest.merge(newer, pullRequest: pr(head: "2", at: 60), delivery: "d2", syncLabel: "l") == newer)
        let closed = SeenPullRequest.merge(newer, pullRequest: pr(head: "2", state: .closed, at: 61), delivery: "d3", syncLabel: "l")
        #expect(closed.pullRequest.state == .closed && closed.lastDelivery == "d3")
    }

    @Test func eachReviewersLatestReviewCountsAndApprovalIsPerHead() {
        let approve = ReviewObservation(reviewer: "bob", state: .approved, commit: "1", submittedAt: t.addingTimeInterval(10))
        var seen = SeenPullRequest.merge(nil, pullRequest: pr(head: "1", at: 0), review: approve, delivery: "r1", syncLabel: "l")
        #expect(seen.approvedBy == ["bob"] && seen.headApproved)
        let stale = ReviewObservation(reviewer: "bob", state: .changesRequested, commit: "1", submittedAt: t)
        #expect(SeenPullRequest.merge(seen, pullRequest: pr(head: "1", at: 0), review: stale, delivery: "r0", syncLabel: "l") == seen)
        seen = SeenPullRequest.merge(seen, pullRequest: pr(head: "2", at: 20), delivery: "s", syncLabel: "l")
        #expect(seen.approvedBy == ["bob"] && !seen.headApproved)
        let dismissed = ReviewObservation(reviewer: "bob", state: .dismissed, commit: "1", submittedAt: t.addingTimeInterval(30))
        #expect(SeenPullRequest.merge(seen, pullRequest: pr(head: "2", at: 20), review: dismissed, delivery: "r2", syncLabel: "l").approvedBy == [])
    }

    @Test func listenAddressesAreNumericWithAPort() throws {
        #expect(try ListenAddress.parse("127.0.0.1:8765").get() == ListenAddress(host: "127.0.0.1", port: 8765))
        #expect(try ListenAddress.parse("[::1]:0").get() == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress.parse("[::1]:0").get().isLoopback)
        #expect(try !ListenAddress.parse("0.0.0.0:80").get().isLoopback)
        #expect(throws: ListenAddressError.host("localhost")) { try ListenAddress.parse("localhost:8765").get() }
        #expect(throws: ListenAddressError.port("70000")) { try ListenAddress.parse("127.0.0.1:70000").get() }
        #expect(throws: ListenAddressError.port("")) { try ListenAddress.parse("127.0.0.1:").get() }
        #expect(throws: ListenAddressError.shape) { try ListenAddress.parse("8765").get() }
        #expect(throws: ListenAddressError.host("256.0.0.1")) { try ListenAddress.parse("256.0.0.1:1").get() }
    }
}
