import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// The conditional responses kept across worker runs (`http_cache`), and the PRs found by head or for a reconciliation.
@Suite("HTTP cache and PRs by head, in the store (SQLite; PostgreSQL when installed)")
struct HTTPCacheStoreTests {
    let dir = TempDir("http-cache")
    let t = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: JournalBackend.available) func aResponseIsKeptAcrossOpeningsUntilPruned(_ backend: JournalBackend) throws {
        let url = "https://api.github.com/repos/web-platform-tests/wpt/pulls?state=all&per_page=100"
        let body = Array(String(repeating: "{\"number\": 1}", count: 1000).utf8)
        let response = StoredResponse(etag: "\"abc\"", status: 200, headers: [["ETag", "\"abc\""], ["Link", "<x>; rel=\"next\""]],
                                      body: body, storedAt: t)
        let store = try backend.journal(in: dir)
        try store.saveCachedResponse(response, url: url)
        let reopened = try backend.reopen(store)
        #expect(try reopened.cachedResponse(url: url) == response)
        #expect(try reopened.cachedResponse(url: url + "&page=2") == nil)
        #expect(try reopened.pruneCachedResponses(storedBefore: t) == 0)
        #expect(try reopened.pruneCachedResponses(storedBefore: t.addingTimeInterval(1)) == 1)
        #expect(try reopened.cachedResponse(url: url) == nil)
    }

    @Test(arguments: JournalBackend.available) func aStatusFindsThePullRequestsWhoseHeadItIsOn(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        let (a, b) = (String(repeating: "a", count: 40), String(repeating: "b", count: 40))
        for (number, head) in [(7, a), (8, b), (9, a)] {
            let pr = PullRequestObservation(number: number, url: "u\(number)", title: "t", author: "alice", state: .open, head: head,
                                            headBranch: "f\(number)", base: "master", updatedAt: t)
            _ = try store.observe(repository: "web-platform-tests/wpt", pullRequest: pr, review: nil, delivery: "d\(number)", syncLabel: "l", at: t)
        }
        #expect(try store.seenPullRequests(head: a).map(\.record.pullRequest.number) == [9, 7])
        #expect(try store.seenPullRequests(head: String(repeating: "c", count: 40)).isEmpty)
    }

    @Test(arguments: JournalBackend.available) func aReconciliationReadsOnlyTheListedPullRequestsAndThoseSeenRecently(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        for (repository, number, seenAt) in [("web-platform-tests/wpt", 1, t), ("web-platform-tests/wpt", 2, t.addingTimeInterval(-30 * 86_400)),
                                             ("web-platform-tests/wpt", 3, t.addingTimeInterval(-30 * 86_400)), ("other/wpt", 4, t)] {
            let pr = PullRequestObservation(number: number, url: "u\(number)", title: "t", author: "alice", state: .open,
                                            head: String(repeating: "a", count: 40), headBranch: "f\(number)", base: "master", updatedAt: seenAt)
            _ = try store.observe(repository: repository, pullRequest: pr, review: nil, delivery: "d\(number)", syncLabel: "l", at: seenAt)
        }
        let read = try store.seenPullRequests(repository: "web-platform-tests/wpt", numbers: [2, 4], seenSince: t.addingTimeInterval(-86_400))
        #expect(read.map(\.record.pullRequest.number) == [2, 1])
    }
}
