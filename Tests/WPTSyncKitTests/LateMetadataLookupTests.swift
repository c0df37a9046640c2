import Foundation
import RepoOps
import Store
import SyncCore
import Synchronization
import Testing
import TestSupport
@testable import WPTSyncKit

/// The journal's downstream syncs, with the reads a caller makes: `all` for every sync, `late:N`
/// for the N syncs whose metadata may land late.
final class CountingSyncs: DownstreamSyncStore {
    let journal: SQLiteJournal
    let reads = Mutex<[String]>([])

    init(_ journal: SQLiteJournal) { self.journal = journal }

    func downstreamSync(pullRequest number: Int) throws(StoreError) -> DownstreamSync? { try journal.downstreamSync(pullRequest: number) }
    func downstreamSyncs() throws(StoreError) -> [DownstreamSync] {
        reads.withLock { $0.append("all") }
        return try journal.downstreamSyncs()
    }
    func downstreamSyncsWithLateMetadata() throws(StoreError) -> [DownstreamSync] {
        let late = try journal.downstreamSyncsWithLateMetadata()
        reads.withLock { $0.append("late:\(late.count)") }
        return late
    }
    func saveDownstreamSync(_ sync: DownstreamSync) throws(StoreError) { try journal.saveDownstreamSync(sync) }
    func saveDownstreamResults(pullRequest: Int, revision: String, _ results: [DownstreamResult], keepingRuns keep: Int) throws(StoreError) {
        try journal.saveDownstreamResults(pullRequest: pullRequest, revision: revision, results, keepingRuns: keep)
    }
    func downstreamResults(pullRequest: Int) throws(StoreError) -> [DownstreamResult] { try journal.downstreamResults(pullRequest: pullRequest) }
}

/// Issue 13: a landing build looks for late metadata among the syncs the index says may have some,
/// not among every downstream sync ever made.
@Suite("Late metadata lookups")
struct LateMetadataLookupTests {
    /// 300 landed syncs with their metadata and PR 301, whose import landed before its metadata
    /// (one new file); the runner reads the journal's syncs through `CountingSyncs` and Gecko
    /// through a real git clone whose only commit is `base`.
    private func world(_ dir: TempDir) throws -> (runner: LandingRunner, syncs: CountingSyncs, base: String) {
        let journal = try SQLiteJournal(path: dir.sub("state/j.sqlite"))
        let prs = Array(1...300)
        var carried: [LandedMetadata] = []
        for pr in prs + [301] {
            var sync = DownstreamSync(pullRequest: pr)
            let files = pr == 301 ? ["testing/web-platform/meta/late.html.ini": DownstreamMetadata.File(before: nil, after: "[late.html]\n")] : [:]
            sync.metadata = DownstreamMetadata(revision: "r\(pr)", base: "b", files: files)
            try journal.saveDownstreamSync(sync)
            if pr != 301 { carried.append(LandedMetadata(pullRequest: pr, metadata: sync.metadata!, late: false)) }
        }
        // 300 PRs landed with the metadata they have; PR 301's import landed before its results.
        var landing = Landing(status: .pushed, upstreamBase: "a", upstreamHead: "b",
                              units: (prs + [301]).map { ImportUnit(pullRequest: $0, commits: ["c\($0)"], base: "p\($0)") })
        landing.metadata = carried
        _ = try journal.save(landing)

        let mirror = try GitRepository.initBare(at: dir.sub("mirror.git"), initialBranch: "master")
        let clone = try GitLandingClone(path: dir.sub("clone.git"), url: dir.sub("gecko"), branch: "refs/heads/main")
        let base = try GitRepository.open(at: dir.sub("clone.git")).commitFiles(["README": "gecko\n"]).hex
        let runner = LandingRunner(settings: LandingSettings(repository: "autoland", bug: 1, clone: dir.sub("clone")), prefixes: PathPrefixes(),
                                   store: journal, mirror: mirror,
                                   units: UpstreamUnits(mirror: mirror, store: journal, github: nil, skipReason: { _ in nil }),
                                   treestatus: nil, pushURL: dir.sub("gecko"), redactor: .none, workspace: { clone })
        let syncs = CountingSyncs(journal)
        runner.downstream = syncs
        return (runner, syncs, base)
    }

    @Test func theLandingBuildReadsOnlyTheSyncsWhoseMetadataMayLandLate() throws {
        let dir = TempDir("late-lookups")
        let (runner, syncs, base) = try world(dir)
        // This landing imports PR 301 again (its metadata follows its import): nothing is late.
        let late = try runner.lateMetadataCommits(excluding: [301], base: base)
        #expect(late.commits.isEmpty && late.carried.isEmpty)
        #expect(syncs.reads.withLock { $0 } == ["late:1"], "one sync read, not 301")
        withExtendedLifetime(dir) {}
    }

    @Test func theSyncTheIndexNamesLandsItsLateMetadataAsOneCommit() throws {
        let dir = TempDir("late-lookups-commit")
        let (runner, syncs, base) = try world(dir)
        let late = try runner.lateMetadataCommits(excluding: [], base: base)
        #expect(late.commits.count == 1)
        #expect(late.commits.first.map { Array($0.files.keys) } == [HgPath("testing/web-platform/meta/late.html.ini")])
        #expect(late.carried.map(\.pullRequest) == [301] && late.carried.first?.late == true)
        #expect(syncs.reads.withLock { $0 } == ["late:1"], "only the sync the index names is read")
        withExtendedLifetime(dir) {}
    }
}
