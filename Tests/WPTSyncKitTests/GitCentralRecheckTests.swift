import Foundation
import LocalServices
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Issue 16: the re-check against a git central (a branch, read with libgit2) has the Mercurial
/// one's shape: the branch's tip is the stamp, so nothing is walked when neither it nor the
/// waiting commits changed; otherwise one walk answers.
@Suite("Re-check against a git mozilla-central")
struct GitCentralRecheckTests {
    let dir = TempDir("git-central-recheck")
    let repository: GitRepository
    let journal: SQLiteJournal
    let base: Oid

    init() throws {
        repository = try GitRepository.initBare(at: dir.sub("central.git"), initialBranch: "main")
        base = try repository.commitFiles(["README": "gecko\n"])
        try repository.updateReference("refs/heads/main", to: base, expecting: .any)
        journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
    }

    /// Central as the worker reads it; `walks` lists the questions that walked its history.
    func central(_ walks: Walks = Walks()) -> CountingCentral {
        CountingCentral(inner: GitCentral(repository: { try GitGecko(path: dir.sub("central.git")) }, branch: "refs/heads/main"), walks: walks)
    }

    func commit(_ file: String, on parents: [Oid]) throws -> Oid {
        try repository.commitFiles([file: file], parents: parents, message: "Bug 1 - \(file)\n")
    }

    func moveCentral(to oid: Oid) throws { try repository.updateReference("refs/heads/main", to: oid, expecting: .any) }

    /// A mixed setup as the worker reads it: an hg autoland, a git central, `[commit_map]` at `lando`.
    func mixedCentral(_ lando: LocalLando) -> (servers: HgServers, central: any CentralHistory) {
        var central = GeckoRepository(name: "mozilla-central", path: dir.sub("central.git"), role: .central)
        central.kind = .git
        central.branch = "refs/heads/main"
        var config = Config(store: StoreSettings(path: dir.sub("state/j.sqlite")),
                            gecko: [GeckoRepository(name: "autoland", path: dir.sub("autoland"), role: .integration), central])
        config.commitMap = CommitMapSettings(landoURL: lando.url)
        let servers = HgServers(config: config)
        return (servers, servers.history(of: central))
    }

    /// Lando's `hg2git` questions so far.
    func hg2git(_ lando: LocalLando) -> Int { lando.requests.filter { $0.path.contains("hg2git") }.count }

    /// A mixed setup: hg changesets wait for a git central; Lando's commit map (`[commit_map]`,
    /// the local Lando here) gives their git commits, which the walk looks for.
    @Test func hgChangesetsWaitingForAGitCentralAreFoundThroughTheCommitMap() throws {
        let lando = try LocalLando(repositories: [])
        let (_, central) = mixedCentral(lando)
        let (hgLanded, hgWaiting) = (String(repeating: "1", count: 40), String(repeating: "2", count: 40))
        let landed = try commit("a", on: [base])
        try moveCentral(to: landed)
        lando.mapCommits(git: landed.hex, hg: hgLanded)
        let recheck = CentralRecheck(marks: journal, central: central, task: "mixed")
        var seen: [Set<String>] = []
        #expect(try recheck.run(pending: [hgLanded, hgWaiting]) { seen.append($0) })
        #expect(seen == [[hgLanded]])

        // The other lands later: central moves (what it gained holds no hg node) and Lando maps it.
        let later = try commit("b", on: [landed])
        try moveCentral(to: later)
        lando.mapCommits(git: later.hex, hg: hgWaiting)
        #expect(try recheck.run(pending: [hgWaiting]) { seen.append($0) })
        #expect(seen.last == [hgWaiting])
    }

    /// Lando answering nothing for a waiting hg changeset is asked again only once central moved;
    /// a git commit waiting with it is answered by what central gained, never asked of Lando; and
    /// Lando failing on one changeset leaves the others found, said once in the pass's notes.
    @Test func theCommitMapIsAskedOncePerCentralTipAndOnlyAboutHgChangesets() throws {
        let lando = try LocalLando(repositories: [])
        let (servers, central) = mixedCentral(lando)
        let (hgA, hgB, hgC) = (String(repeating: "1", count: 40), String(repeating: "2", count: 40), String(repeating: "3", count: 40))
        let gitWaiting = try commit("w", on: [base])
        var seen: [Set<String>] = []
        let pending: Set<String> = [hgA, hgB, gitWaiting.hex]
        #expect(try CentralRecheck(marks: journal, central: central, task: "one").run(pending: pending) { seen.append($0) })
        #expect(hg2git(lando) == 2, "the two hg changesets, not the git commit the repository has")
        // Another re-check (the landing tracker's) at the same tip: Lando's misses are not asked again.
        #expect(try CentralRecheck(marks: journal, central: central, task: "two").run(pending: [hgA, hgB]) { seen.append($0) })
        #expect(hg2git(lando) == 2 && seen == [[], []])

        // Central moves: it gained the git commit and hgA's commit; Lando fails on hgB.
        let landed = try commit("a", on: [gitWaiting])
        try moveCentral(to: landed)
        lando.mapCommits(git: landed.hex, hg: hgA)
        lando.injectFault(.serverError(status: 500), count: 1, pathPrefix: "/api/hg2git/firefox/\(hgB)")
        #expect(try CentralRecheck(marks: journal, central: central, task: "one").run(pending: pending.union([hgC])) { seen.append($0) })
        #expect(seen.last == [hgA, gitWaiting.hex], "one failing changeset does not fail the re-check")
        #expect(hg2git(lando) == 5, "hgA, hgB and hgC asked again at the new tip; never the git commit")
        let note = try #require(servers.takeCounterpartNote())
        #expect(note.contains("failed for 1 hg changeset"), "\(note)")
        #expect(servers.takeCounterpartNote() == nil, "said once")
    }

    /// Lookups skip the rescan of the pack folders a miss would cost, after one rescan per
    /// question: a pack central received since the handle opened (a push of over 100 objects is
    /// kept as a pack) is still seen.
    @Test func aPackCentralReceivedAfterTheHandleOpenedIsSeen() throws {
        let gecko = try GitGecko(path: dir.sub("central.git"))
        let central = GitCentral(repository: { gecko }, branch: "refs/heads/main")
        #expect(try central.holds([base.hex], tip: base.hex) == [base.hex])
        let work = dir.sub("work")
        try sh("git", ["clone", "-q", dir.sub("central.git"), work])
        for index in 0..<150 { try writeFile("\(work)/f\(index).txt", "file \(index)\n") }
        try sh("git", ["add", "-A"], in: work)
        try sh("git", ["-c", "user.name=x", "-c", "user.email=x@example.com", "commit", "-q", "-m", "Bug 2 - many files"], in: work)
        try sh("git", ["push", "-q", "origin", "HEAD:main"], in: work)
        let pushed = try sh("git", ["rev-parse", "HEAD"], in: work).trimmingCharacters(in: .whitespacesAndNewlines)
        let packs = try FileManager.default.contentsOfDirectory(atPath: dir.sub("central.git/objects/pack")).filter { $0.hasSuffix(".pack") }
        #expect(!packs.isEmpty, "the push was kept as a pack")
        #expect(try central.holds([pushed, base.hex], tip: pushed) == [pushed, base.hex])
    }

    @Test func aCommitOnCentralIsFoundInOneWalkAndAnUnmovedBranchIsNotAskedAgain() throws {
        let landed = try commit("a", on: [base])
        try moveCentral(to: landed)
        let waiting = try commit("w", on: [base]).hex
        let missing = String(repeating: "d", count: 40)
        let walks = Walks()
        let recheck = CentralRecheck(marks: journal, central: central(walks), task: "test")
        var seen: [Set<String>] = []
        #expect(try recheck.run(pending: [landed.hex, waiting, missing]) { seen.append($0) })
        #expect(seen == [[landed.hex]] && walks.asked == ["holds"])

        // The branch did not move and the waiting commits are what the last re-check left: nothing is walked.
        #expect(try !recheck.run(pending: [waiting, missing]) { seen.append($0) })
        #expect(walks.asked == ["holds"] && seen.count == 1)
        let again = CentralRecheck(marks: try SQLiteJournal(path: dir.sub("state/j.sqlite")), central: central(walks), task: "test")
        #expect(try !again.run(pending: [waiting, missing]) { seen.append($0) })

        // Central merges the waiting commit: only what it gained is walked, and the commit is found.
        let merge = try repository.commitFiles(["a": "a", "w": "w"], parents: [landed, try Oid(hex: waiting)], message: "Merge\n")
        try moveCentral(to: merge)
        #expect(try recheck.run(pending: [waiting, missing]) { seen.append($0) })
        #expect(seen.last == [waiting] && walks.asked == ["holds", "gained"])
        #expect(try journal.recheckMark("test") == RecheckMark.text(tip: merge.hex, stamp: merge.hex, pending: [missing]))
    }

    @Test func aBranchMovedOntoAnotherLineStillFindsWhatItHolds() throws {
        let first = try commit("a", on: [base])
        try moveCentral(to: first)
        let waiting = try commit("w", on: [base])
        let recheck = CentralRecheck(marks: journal, central: central(), task: "test")
        var seen: [Set<String>] = []
        #expect(try recheck.run(pending: [waiting.hex]) { seen.append($0) })
        // Central is rewritten (a forced push): its old tip is no longer below the new one.
        try moveCentral(to: try commit("b", on: [waiting]))
        #expect(try recheck.run(pending: [waiting.hex]) { seen.append($0) })
        #expect(seen == [[], [waiting.hex]])
    }

    @Test func aPushedLandingWhoseEventWasLostIsMarkedLanded() throws {
        let landing = try commit("landing", on: [base])
        try moveCentral(to: landing)
        var record = Landing(status: .pushed, upstreamBase: String(repeating: "a", count: 40), upstreamHead: String(repeating: "b", count: 40), units: [])
        record.nodes = [landing.hex]
        let saved = try journal.save(record)
        let tracker = LandingTracker(store: journal, prefixes: PathPrefixes())
        let notes = try tracker.recheck(central: central(), marks: journal)
        #expect(notes.count == 1 && notes[0].contains("landing \(saved.id)"), "\(notes)")
        #expect(try journal.landing(id: saved.id)?.status == .landed)
    }
}

final class Walks: @unchecked Sendable {
    var asked: [String] = []
}

/// The real git central, counting the questions that walk its history.
struct CountingCentral: CentralHistory {
    let inner: GitCentral
    let walks: Walks

    func stamp() -> String? { inner.stamp() }
    func tip() throws -> String { try inner.tip() }
    func gained(since: String, tip: String) throws -> Set<String> {
        walks.asked.append("gained")
        return try inner.gained(since: since, tip: tip)
    }
    func holds(_ nodes: Set<String>, tip: String) throws -> Set<String> {
        walks.asked.append("holds")
        return try inner.holds(nodes, tip: tip)
    }
}
