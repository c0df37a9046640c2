import Foundation
import LocalServices
import Remote
import Testing

@Suite struct PullRequestTests {
    @Test func createsThenAdoptsOnDuplicate() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/1234", commits: [(["css/a.html": "a"], "Add a")])
        let first = try f.client.createPullRequest(title: "[Gecko Bug 1234] Add a", head: branch("gecko/1234"), body: "gecko-commit: abc")
        #expect(!first.adopted)
        #expect(first.pullRequest.state == .open)
        #expect(first.pullRequest.head.sha == head)
        #expect(first.pullRequest.head.label == "web-platform-tests:gecko/1234")
        #expect(first.pullRequest.htmlURL == "\(f.github.baseURL)/web-platform-tests/wpt/pull/1")

        let second = try f.client.createPullRequest(title: "[Gecko Bug 1234] Add a", head: branch("gecko/1234"))
        #expect(second.adopted)
        #expect(second.pullRequest.number == first.pullRequest.number)
        #expect(f.github.pullRequests.count == 1)
        #expect(f.requests("POST", "/pulls").map(\.status) == [201, 422])
    }

    @Test func theTokensAccountIsKnownAndEachPullRequestNamesItsAuthor() throws {
        let f = try Fixture()
        #expect(try f.client.authenticatedUser().login == "wpt-sync-bot")
        var approver = f.client
        approver.token = Fixture.approverToken
        #expect(try approver.authenticatedUser().login == "wpt-approver")
        try f.pushBranch("gecko/1236", commits: [(["a.html": "a"], "Add a")])
        let created = try approver.createPullRequest(title: "Someone's work", head: branch("gecko/1236")).pullRequest
        #expect(created.user?.login == "wpt-approver")
        #expect(try f.client.findPullRequests(head: branch("gecko/1236")).map(\.user?.login) == ["wpt-approver"])
    }

    @Test func anOpenPullRequestTheCallerDoesNotRecogniseIsNotAdopted() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/1235", commits: [(["a.html": "a"], "Add a")])
        let theirs = try f.client.createPullRequest(title: "Someone's work", head: branch("gecko/1235"), body: "By hand.").pullRequest
        do {
            _ = try f.client.createPullRequest(title: "[Gecko Bug 1235] Add a", head: branch("gecko/1235"), body: "gecko-commits: x") {
                $0.body?.contains("gecko-commits: x") == true
            }
            Issue.record("expected the 422 to be thrown")
        } catch {
            #expect(error.httpStatus == 422)
        }
        #expect(f.github.pullRequests.map(\.number) == [theirs.number])
        #expect(f.github.pullRequests.first?.title == "Someone's work" && f.github.pullRequests.first?.body == "By hand.")
    }

    @Test func otherValidationErrorsAreThrown() throws {
        let f = try Fixture()
        #expect(throws: RemoteError.self) {
            try f.client.createPullRequest(title: "x", head: branch("gecko/missing"))
        }
        // A branch with no commits beyond master: 422 "No commits between", nothing to adopt.
        try f.git("push", "-q", f.github.repositoryPath, "master:refs/heads/gecko/empty")
        do {
            _ = try f.client.createPullRequest(title: "x", head: branch("gecko/empty"))
            Issue.record("expected a 422")
        } catch {
            #expect(error.httpStatus == 422)
            #expect(error.description.contains("No commits between master and gecko/empty"))
        }
        #expect(f.github.pullRequests.isEmpty)
    }

    @Test(arguments: [Fault.serverError(status: 502), .serverErrorAfterActing(status: 502), .serverError(status: 500)])
    func serverErrorDuringCreateLeavesExactlyOnePR(fault: Fault) throws {
        let f = try Fixture()
        try f.pushBranch("gecko/77", commits: [(["a.html": "a"], "Add a")])
        f.github.injectFault(fault, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        let created = try f.client.createPullRequest(title: "[Gecko Bug 77] a", head: branch("gecko/77"))
        #expect(created.adopted == (fault == .serverErrorAfterActing(status: 502)))
        #expect(f.github.pullRequests.count == 1)
        #expect(f.github.pullRequests.first?.number == created.pullRequest.number)
    }

    @Test func timeoutDuringCreateIsCheckedBeforeResending() throws {
        let f = try Fixture()
        f.client.timeout = .milliseconds(500)
        try f.pushBranch("gecko/78", commits: [(["a.html": "a"], "Add a")])
        f.github.injectFault(.hang, method: "POST")
        let created = try f.client.createPullRequest(title: "[Gecko Bug 78] a", head: branch("gecko/78"))
        #expect(!created.adopted)
        #expect(f.github.pullRequests.count == 1)
        // The hanging POST, the lookup, then the second POST.
        #expect(f.github.requests.map(\.method) == ["POST", "GET", "POST"])
    }

    @Test func repeatedUnknownOutcomeIsThrownWithoutASecondPR() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/79", commits: [(["a.html": "a"], "Add a")])
        f.github.injectFault(.serverError(status: 503), count: 5, method: "POST")
        #expect(throws: RemoteError.self) { try f.client.createPullRequest(title: "t", head: branch("gecko/79")) }
        #expect(f.github.pullRequests.isEmpty)
        // Later (the worker retries), GitHub is back: exactly one PR.
        f.github.injectFault(.serverErrorAfterActing(status: 502), method: "POST")
        _ = try? f.client.createPullRequest(title: "t", head: branch("gecko/79"))
        _ = try f.client.createPullRequest(title: "t", head: branch("gecko/79"))
        #expect(f.github.pullRequests.count == 1)
    }

    @Test func closeAndReopen() throws {
        let f = try Fixture()
        try f.pushBranch("gecko/5", commits: [(["a.html": "a"], "Add a")])
        let number = try f.client.createPullRequest(title: "t", head: branch("gecko/5")).pullRequest.number
        #expect(try f.client.close(number).state == .closed)
        #expect(try f.client.findPullRequests(head: branch("gecko/5")).map(\.state) == [.closed])
        #expect(try f.client.reopen(number).state == .open)
        let edited = try f.client.updatePullRequest(number, title: "new title", body: "new body")
        #expect(edited.title == "new title" && edited.body == "new body")

        // GitHub refuses to reopen a PR whose head moved while it was closed.
        _ = try f.client.close(number)
        try f.pushBranch("gecko/5", commits: [(["b.html": "b"], "Add b")])
        do {
            _ = try f.client.reopen(number)
            Issue.record("expected a 422")
        } catch {
            #expect(error.httpStatus == 422)
        }
        #expect(f.github.pullRequests.first?.isOpen == false)
    }

    @Test func labelsAndApproval() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/6", commits: [(["a.html": "a"], "Add a")])
        let number = try f.client.createPullRequest(title: "t", head: branch("gecko/6")).pullRequest.number
        _ = try f.client.addLabels(["mozilla:gecko-sync"], to: number)
        let labels = try f.client.addLabels(["mozilla:gecko-sync", "infra"], to: number)
        #expect(labels.map(\.name) == ["mozilla:gecko-sync", "infra"])
        #expect(try f.client.pullRequest(number).labelNames == ["mozilla:gecko-sync", "infra"])

        // Removing a label (its name percent-encoded in the path); removing it again is no error.
        #expect(try f.client.removeLabel("mozilla:gecko-sync", from: number)?.map(\.name) == ["infra"])
        #expect(try f.client.removeLabel("mozilla:gecko-sync", from: number) == nil)
        #expect(f.github.pullRequests.first?.labels == ["infra"])
        #expect(f.requests("DELETE", "/labels/mozilla%3Agecko-sync").count == 2)

        // The author cannot approve its own PR: the approver's token is needed.
        #expect(throws: RemoteError.self) { try f.client.approve(number, approverToken: Fixture.botToken) }
        let review = try f.client.approve(number, commitID: head, approverToken: Fixture.approverToken)
        #expect(review.state == "APPROVED" && review.user?.login == "wpt-approver" && review.commitId == head)
        #expect(f.github.pullRequests.first?.approvedBy == ["wpt-approver"])
        let reviewPost = f.requests("POST", "/reviews").last
        #expect(reviewPost?.headers["authorization"] == "Bearer approver-token")
    }

    @Test func anotherAccountsApprovalDoesNotStandForTheApprovers() throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/7", commits: [(["a.html": "a"], "Add a")])
        let number = try f.client.createPullRequest(title: "t", head: branch("gecko/7")).pullRequest.number
        _ = try f.client.approve(number, commitID: head, approverToken: Fixture.personToken)
        let review = try f.client.approve(number, commitID: head, approverToken: Fixture.approverToken)
        #expect(review.user?.login == "wpt-approver")
        #expect(f.github.pullRequests.first?.approvedBy == ["a-person", "wpt-approver"])
    }

    @Test(arguments: [Fault.serverErrorAfterActing(status: 502), .serverError(status: 502)])
    func anApprovalIsGivenOnceWhateverHappenedToTheFirstAnswer(fault: Fault) throws {
        let f = try Fixture()
        let head = try f.pushBranch("gecko/8", commits: [(["a.html": "a"], "Add a")])
        let number = try f.client.createPullRequest(title: "t", head: branch("gecko/8")).pullRequest.number
        f.github.injectFault(fault, method: "POST", pathPrefix: "/repos/web-platform-tests/wpt/pulls/\(number)/reviews")
        _ = try f.client.approve(number, commitID: head, approverToken: Fixture.approverToken)
        _ = try f.client.approve(number, commitID: head, approverToken: Fixture.approverToken)
        #expect(f.github.pullRequests.first?.approvedBy == ["wpt-approver"])
    }

    @Test func paginationFollowsLinkHeaders() throws {
        let f = try Fixture()
        // 35 branches, each one commit on top of a shared commit: all 35 PRs contain it.
        try f.git("checkout", "-q", "-b", "shared")
        let shared = try f.commit(["shared.html": "s"], message: "Shared")
        for index in 1...35 {
            try f.git("checkout", "-q", "-B", "gecko/\(index)", shared)
            try f.commit(["f\(index).html": "\(index)"], message: "Change \(index)")
        }
        try f.git("push", "-q", f.github.repositoryPath, "refs/heads/gecko/*:refs/heads/gecko/*")
        for index in 1...35 {
            _ = try f.client.createPullRequest(title: "PR \(index)", head: branch("gecko/\(index)"))
        }
        f.client.perPage = 30  // GitHub's default page size
        let all = try f.client.pullRequests(forCommit: shared)
        #expect(all.count == 35)
        #expect(Set(all.map(\.number)) == Set(1...35))
        #expect(all.first?.number == 35)  // newest first
        #expect(f.requests("GET", "/pulls").map { $0.query["page"] ?? "1" } == ["1", "2"])

        f.client.perPage = 10
        #expect(try f.client.pullRequests(forCommit: shared).count == 35)
        #expect(try f.client.findPullRequests(head: branch("gecko/17")).map(\.title) == ["PR 17"])
    }

    @Test func notFoundHasGitHubsShape() throws {
        let f = try Fixture()
        do {
            _ = try f.client.pullRequest(999)
            Issue.record("expected a 404")
        } catch {
            #expect(error.httpStatus == 404)
            guard case .httpStatus(_, _, _, let body) = error else { return }
            #expect(body.contains("\"message\":\"Not Found\"") && body.contains("documentation_url"))
            #expect(!error.description.contains("bot-token"))
        }
    }
}
