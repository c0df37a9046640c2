import Foundation
import RepoOps
import Store
import Synchronization
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 11: the periodic re-check against mozilla-central reads its changelog index for every
/// waiting changeset, only what central stored since when only central moved, and nothing at all
/// when neither central nor the waiting changesets changed; it starts no Mercurial unless the
/// index cannot be trusted, and then asks one revset.
@Suite("Re-check against mozilla-central")
struct CentralRecheckTests {
    let dir = TempDir("central-recheck")
    let central: HgFixture
    let journal: SQLiteJournal

    init() throws {
        central = try HgFixture("central")
        journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
    }

    func commit(_ file: String) throws -> String {
        try central.write(file, file)
        return try central.commit("Bug 1 - \(file)")
    }

    func pushed(_ node: String) throws -> Landing {
        var landing = Landing(status: .pushed, upstreamBase: String(repeating: "a", count: 40),
                              upstreamHead: String(repeating: "b", count: 40), units: [])
        landing.nodes = [node]
        return try journal.save(landing)
    }

    @Test func aLandedChangesetIsFoundInOneQueryAndAnUnchangedCentralIsNotAskedAgain() throws {
        let landed = try commit("a")
        let missing = String(repeating: "d", count: 40)
        let hg = try HgRepository(path: central.root)
        let recheck = CentralRecheck(marks: journal, centralPath: central.root, central: { hg }, task: "test")
        var seen: [Set<String>] = []
        var before = hg.commandsRun
        #expect(try recheck.run(pending: [landed, missing]) { seen.append($0) })
        #expect(seen == [[landed]])
        // Read from the changelog index: Mercurial is not asked.
        #expect(hg.commandsRun - before == 0)

        // Central did not move, and the one still waiting is what the last re-check left: not even its tip is asked.
        before = hg.commandsRun
        #expect(try !recheck.run(pending: [missing]) { seen.append($0) })
        #expect(hg.commandsRun - before == 0 && seen.count == 1)
        // Remembered in the journal: a new process skips too.
        let again = CentralRecheck(marks: try SQLiteJournal(path: dir.sub("state/j.sqlite")), centralPath: central.root, central: { hg }, task: "test")
        #expect(try !again.run(pending: [missing]) { seen.append($0) })

        // Central moved: asked again, from the index.
        _ = try commit("b")
        before = hg.commandsRun
        #expect(try recheck.run(pending: [missing]) { seen.append($0) })
        #expect(hg.commandsRun - before == 0 && seen.last == [])
    }

    @Test func whenOnlyCentralMovedTheChangesetsItGainedAreAllThatIsAskedAndWhatArrivedIsFound() throws {
        _ = try commit("a")
        let hg = try HgRepository(path: central.root)
        let recheck = CentralRecheck(marks: journal, centralPath: central.root, central: { hg }, task: "test")
        let waiting = try HgFixture("elsewhere")
        try waiting.write("w", "w")
        let later = try waiting.commit("Bug 2 - lands later")
        let missing = String(repeating: "d", count: 40)
        var seen: [Set<String>] = []
        #expect(try recheck.run(pending: [later, missing]) { seen.append($0) })
        #expect(seen == [[]])

        // Central gains two changesets, one of them the waiting one.
        _ = try central.hg(["pull", "-q", "--force", waiting.root])
        _ = try commit("b")
        let before = hg.commandsRun
        #expect(try recheck.run(pending: [later, missing]) { seen.append($0) })
        #expect(seen.last == [later])
        #expect(hg.commandsRun - before == 0)
        let mark = try #require(try journal.recheckMark("test"))
        #expect(mark == RecheckMark.text(tip: try hg.node(of: "tip"), stamp: HgRepository.changelogStamp(path: central.root), pending: [missing]))
    }

    @Test func ifCentralLostTheTipItLastSawEveryWaitingChangesetIsAskedFor() throws {
        _ = try commit("a")
        let lost = try commit("b")
        let hg = try HgRepository(path: central.root)
        let recheck = CentralRecheck(marks: journal, centralPath: central.root, central: { hg }, task: "test")
        let waiting = try HgFixture("elsewhere")
        try waiting.write("w", "w")
        let later = try waiting.commit("Bug 2 - lands later")
        var seen: [Set<String>] = []
        #expect(try recheck.run(pending: [later]) { seen.append($0) })

        _ = try central.hg(["--config", "extensions.strip=", "strip", "-q", "--no-backup", lost])
        _ = try central.hg(["pull", "-q", "--force", waiting.root])
        #expect(try recheck.run(pending: [later]) { seen.append($0) })
        #expect(seen == [[], [later]])
    }

    @Test func aNewlyWaitingChangesetIsAskedForEvenWhenCentralDidNotMove() throws {
        let old = try commit("a")
        let hg = try HgRepository(path: central.root)
        let recheck = CentralRecheck(marks: journal, centralPath: central.root, central: { hg }, task: "test")
        let missing = String(repeating: "c", count: 40)
        var seen: Set<String> = ["not called"]
        #expect(try recheck.run(pending: [missing]) { seen = $0 })
        #expect(seen.isEmpty)
        // A changeset central already had when the last re-check ran starts waiting (its sync was made later).
        #expect(try recheck.run(pending: [missing, old]) { seen = $0 })
        #expect(seen == [old])
    }

    @Test func withNothingWaitingCentralIsNotEvenOpened() throws {
        var opened = false
        let recheck = CentralRecheck(marks: journal, centralPath: central.root, central: { opened = true; return try HgRepository(path: central.root) }, task: "test")
        #expect(try !recheck.run(pending: []) { _ in Issue.record("nothing to record") })
        #expect(!opened)
    }

    @Test func aPushedLandingWhoseEventWasLostIsMarkedLandedOnceAndThenNothingIsAsked() throws {
        let node = try commit("landing")
        let arrived = try pushed(node)
        let others = try [pushed(String(repeating: "e", count: 40)), pushed(String(repeating: "f", count: 40))]
        let hg = try HgRepository(path: central.root)
        let tracker = LandingTracker(store: journal, prefixes: PathPrefixes())
        var before = hg.commandsRun
        let notes = try tracker.recheck(centralPath: central.root, central: { hg }, marks: journal)
        #expect(notes.count == 1 && notes[0].contains("landing \(arrived.id)"), "\(notes)")
        #expect(try journal.landing(id: arrived.id)?.status == .landed)
        #expect(try others.map { try journal.landing(id: $0.id)?.status } == [.pushed, .pushed])
        // Read from the changelog index, not a query per landing.
        #expect(hg.commandsRun - before == 0)

        before = hg.commandsRun
        #expect(try tracker.recheck(centralPath: central.root, central: { hg }, marks: journal).isEmpty)
        #expect(hg.commandsRun - before == 0)
    }

    @Test func withCentralMovedNoMercurialStartsAndTheLandingsThatArrivedAreMarkedLanded() throws {
        _ = try commit("a")
        let waiting = try HgFixture("elsewhere")
        try waiting.write("w", "w")
        let later = try waiting.commit("Bug 2 - lands later")
        let arriving = try pushed(later)
        let others = try [pushed(String(repeating: "e", count: 40)), pushed(String(repeating: "f", count: 40))]
        var started = 0
        let tracker = LandingTracker(store: journal, prefixes: PathPrefixes())
        let central = { started += 1; return try HgRepository(path: self.central.root) }
        #expect(try tracker.recheck(centralPath: self.central.root, central: central, marks: journal).isEmpty)

        // Central gains the landing and a Gecko-only changeset, without its hook.
        _ = try self.central.hg(["pull", "-q", "--force", waiting.root])
        _ = try commit("b")
        let notes = try tracker.recheck(centralPath: self.central.root, central: central, marks: journal)
        #expect(notes.count == 1 && notes[0].contains("landing \(arriving.id)"), "\(notes)")
        #expect(try journal.landing(id: arriving.id)?.status == .landed)
        #expect(try others.map { try journal.landing(id: $0.id)?.status } == [.pushed, .pushed])
        #expect(started == 0, "no Mercurial command server started")
    }

    @Test func whenTheIndexCannotBeTrustedMercurialIsAskedOneRevset() throws {
        _ = try commit("a")
        // An obsolescence marker (for a changeset central never had) may hide changesets.
        _ = try central.hg(["--config", "experimental.evolution.createmarkers=true", "debugobsolete", String(repeating: "a", count: 40)])
        let waiting = try HgFixture("elsewhere")
        try waiting.write("w", "w")
        let later = try waiting.commit("Bug 2 - lands later")
        let hg = try HgRepository(path: central.root)
        let told = Mutex<[String]>([])
        let recheck = CentralRecheck(marks: journal, central: HgCentral(path: central.root, repository: { hg },
                                                                        distrusted: { _, reason in told.withLock { $0.append(reason) } }),
                                     task: "test")
        let missing = String(repeating: "d", count: 40)
        var seen: [Set<String>] = []
        var before = hg.commandsRun
        #expect(try recheck.run(pending: [later, missing]) { seen.append($0) })
        #expect(seen == [[]] && hg.commandsRun - before == 2)
        #expect(told.withLock { $0 }.contains { $0.contains("obsolescence") }, "\(told.withLock { $0 })")

        _ = try central.hg(["pull", "-q", "--force", waiting.root])
        before = hg.commandsRun
        #expect(try recheck.run(pending: [later, missing]) { seen.append($0) })
        #expect(seen.last == [later] && hg.commandsRun - before == 2)
    }
}
