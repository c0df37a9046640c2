import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// A try push that does not ask for autoland costs only the reading of its tip.
@Suite("Try push intake")
struct TryPushIntakeTests {
    let dir = TempDir("try-intake")
    let repo: HgFixture
    let journal: SQLiteJournal
    let settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland"])

    init() throws {
        repo = try HgFixture("try")
        journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
    }

    func push(_ message: String, files: [String: String]) throws -> HgPush {
        for (path, contents) in files { try repo.write(path, contents) }
        let node = try repo.commit(message)
        return HgPush(repository: "try", firstNode: node, lastNode: node, source: "push", user: "alice@mozilla.com")
    }

    @Test func aPushWithoutARequestCostsTwoQueriesAndOneWithARequestIsRead() throws {
        let hg = try HgRepository(path: repo.root)
        let intake = TryPushIntake(settings: settings, store: journal)
        let plain = try push("Bug 1 - big change r=x", files: Dictionary(uniqueKeysWithValues: (0..<50).map { ("f\($0).txt", "\($0)") }))
        var before = hg.commandsRun
        #expect(try intake.handle(plain, hg: hg) == "push to try: no autoland request")
        #expect(hg.commandsRun - before == 2, "the tip's node and its changelog entry, nothing else")

        let asking = try push("Bug 2 - x\n\ntry: -b o --autoland", files: ["a.txt": "a"])
        before = hg.commandsRun
        #expect(try intake.handle(asking, hg: hg).hasPrefix("push to try: autoland request #1 from alice@mozilla.com"))
        #expect(hg.commandsRun - before > 2)
        #expect(try journal.autolandRequests(phases: [.requested]).map(\.nodes) == [[asking.lastNode]])
        // Handled again (a retried event): the stored request, nothing new.
        #expect(try intake.handle(asking, hg: hg) == "push to try: already autoland request #1 (requested)")
        #expect(try journal.autolandRequests(phases: nil).count == 1)
    }
}
