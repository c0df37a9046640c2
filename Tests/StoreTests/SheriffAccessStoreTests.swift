import Foundation
import Store
import Testing
import TestSupport

@Suite("Sheriff page tokens and sessions")
struct SheriffAccessStoreTests {
    let dir = TempDir("sheriff-access")
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: JournalBackend.available) func aTokenIsFoundByItsHashAndReissuingOrRevokingEndsItsSessions(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        #expect(try store.issueToken(user: "sam", hash: "h1", at: now) == false)
        #expect(try store.tokenUser(hash: "h1") == "sam" && store.tokenUser(hash: "h2") == nil)
        let session = SheriffSession(user: "sam", csrf: "c", expires: now.addingTimeInterval(60))
        try store.startSession(hash: "s1", session, now: now)
        #expect(try store.session(hash: "s1", now: now) == session)
        #expect(try store.session(hash: "s1", now: now.addingTimeInterval(60)) == nil, "expired")

        // A new token replaces the old one and ends the sessions signed in with it.
        #expect(try store.issueToken(user: "sam", hash: "h2", at: now) == true)
        #expect(try store.tokenUser(hash: "h1") == nil && store.tokenUser(hash: "h2") == "sam")
        #expect(try store.session(hash: "s1", now: now) == nil)

        try store.startSession(hash: "s2", session, now: now)
        #expect(try store.revokeToken(user: "sam") == true)
        #expect(try store.tokenUser(hash: "h2") == nil && store.session(hash: "s2", now: now) == nil)
        #expect(try store.revokeToken(user: "sam") == false, "nothing left to revoke")
    }

    @Test(arguments: JournalBackend.available) func startingASessionForgetsExpiredOnesAndSigningOutEndsOne(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        _ = try store.issueToken(user: "sam", hash: "h", at: now)
        try store.startSession(hash: "old", SheriffSession(user: "sam", csrf: "c", expires: now), now: now.addingTimeInterval(-10))
        try store.startSession(hash: "new", SheriffSession(user: "sam", csrf: "d", expires: now.addingTimeInterval(60)), now: now)
        #expect(try store.session(hash: "old", now: now.addingTimeInterval(-20)) == nil, "deleted, not only hidden")
        try store.endSession(hash: "new")
        #expect(try store.session(hash: "new", now: now) == nil)
    }
}
