import Foundation
import Store
import SyncCore
import Testing
import TestSupport

@Suite("What wptsync has seen of upstream PRs, in the store (SQLite; PostgreSQL when installed)")
struct DownstreamStoreTests {
    let dir = TempDir("downstream-store")
    let t = Date(timeIntervalSince1970: 1_800_000_000)
    let repo = "web-platform-tests/wpt"

    func pr(_ number: Int, head: String, branch: String = "fix", at offset: Double) -> PullRequestObservation {
        PullRequestObservation(number: number, url: "https://github.com/\(repo)/pull/\(number)", title: "t", author: "alice", state: .open,
                               head: head, headBranch: branch, base: "master", updatedAt: t.addingTimeInterval(offset))
    }

    @Test(arguments: JournalBackend.available) func aDeliveryTwiceOrAnOlderOneAfterANewerChangesNothing(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let (h1, h2) = (String(repeating: "1", count: 40), String(repeating: "2", count: 40))
        #expect(try store.observe(repository: repo, pullRequest: pr(7, head: h2, at: 60), review: nil, delivery: "d2", syncLabel: "l", at: t).changed)
        #expect(try !store.observe(repository: repo, pullRequest: pr(7, head: h2, at: 60), review: nil, delivery: "d2", syncLabel: "l", at: t).changed)
        #expect(try !store.observe(repository: repo, pullRequest: pr(7, head: h1, at: 0), review: nil, delivery: "d1", syncLabel: "l", at: t).changed)
        _ = try store.observe(repository: repo, pullRequest: pr(8, head: h1, branch: "gecko/123", at: 0), review: nil, delivery: "d3", syncLabel: "l", at: t)
        let seen = try store.seenPullRequests()
        #expect(seen.map(\.record.pullRequest.number) == [8, 7])
        #expect(seen[1].record.pullRequest.head == h2 && seen[1].record.lastDelivery == "d2")
        #expect(seen[0].record.ignored == "opened by wptsync's upstream sync (branch gecko/123)")
        // One PR by its number, as the worker reads it for each delivery.
        #expect(try store.seenPullRequest(7) == seen[1])
        #expect(try store.seenPullRequest(99) == nil)
    }

    @Test(arguments: JournalBackend.available) func checksAreKeptPerCommitAndShownOnTheHead(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let head = String(repeating: "3", count: 40)
        let done = CheckObservation(kind: .checkRun, name: "ci", commit: head, status: "completed", conclusion: "success", updatedAt: t.addingTimeInterval(10))
        // A status arriving before its PR is known is kept for it.
        #expect(try store.observe(check: done))
        #expect(try !store.observe(check: CheckObservation(kind: .checkRun, name: "ci", commit: head, status: "in_progress", updatedAt: t)))
        #expect(try !store.observe(check: done))
        _ = try store.observe(check: CheckObservation(kind: .status, name: "ci", commit: String(repeating: "4", count: 40), status: "failure", updatedAt: t))
        _ = try store.observe(repository: repo, pullRequest: pr(9, head: head, at: 0), review: nil, delivery: "d", syncLabel: "l", at: t)
        #expect(try store.seenPullRequests().first?.checks == [done])
    }

    @Test(arguments: JournalBackend.available) func aBatchIsRecordedInOneGoEachDeliveryOnce(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        func delivery(_ id: String) -> EventPayload {
            .gitHubDelivery(GitHubDelivery(repository: repo, event: "ping", delivery: id, summary: "ping", body: Array("{}".utf8)))
        }
        #expect(try store.record(delivery("a"), at: t) == .recorded(id: 1))
        #expect(try store.record([delivery("b"), delivery("a"), delivery("b"), delivery("c")], at: t)
                == [.recorded(id: 2), .duplicate(id: 1), .duplicate(id: 2), .recorded(id: 3)])
        #expect(try store.events(state: nil, limit: 10).map(\.id) == [3, 2, 1])
    }
}
