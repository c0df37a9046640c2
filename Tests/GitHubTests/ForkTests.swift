import Foundation
import LocalServices
import Remote
import Testing
import TestSupport

/// Pull requests from a fork: the head is `owner:branch`, as GitHub wants it.
@Suite struct ForkTests {
    @Test func aForksBranchOpensWithAnOwnerHeadAndNotWithoutOne() throws {
        let f = try Fixture()
        let fork = f.directory.sub("fork.git")
        try f.github.addFork(owner: "wpt-sync-bot", repositoryPath: fork)
        try f.git("checkout", "-q", "-b", "gecko/77")
        let head = try f.commit(["a.html": "a"], message: "Add a")
        try f.git("push", "-q", fork, "gecko/77")

        // Owner-less, the branch is looked for in the upstream repository: GitHub's 422.
        do {
            _ = try f.client.createPullRequest(title: "Add a", head: branch("gecko/77"))
            Issue.record("a head without the fork's owner was accepted")
        } catch {
            #expect(error.httpStatus == 422)
            #expect("\(error)".contains("\"field\":\"head\"") && "\(error)".contains("\"code\":\"invalid\""), "\(error)")
        }
        #expect(f.github.pullRequests.isEmpty)

        var client = f.client
        client.headOwner = "wpt-sync-bot"
        let created = try client.createPullRequest(title: "Add a", head: branch("gecko/77")).pullRequest
        #expect(created.head.label == "wpt-sync-bot:gecko/77" && created.head.sha == head)
        #expect(try client.findPullRequests(head: branch("gecko/77")).map(\.number) == [created.number])
        #expect(try f.client.findPullRequests(head: branch("gecko/77")).isEmpty, "not a branch of the upstream repository")
        #expect(try client.createPullRequest(title: "Add a", head: branch("gecko/77")).adopted)

        let merged = try client.merge(created.number, method: .rebase, expectedHeadSHA: head)
        guard case .merged = merged else { Issue.record("not merged: \(merged)"); return }
        #expect(try sh("git", ["--git-dir", f.github.repositoryPath, "show", "master:a.html"]) == "a")
    }
}
