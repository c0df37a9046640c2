import Foundation
import RepoOps
import Store
import SyncCore

extension LandingRunner {
    /// The importability of a PR that is otherwise applied, as `[landing] wait_for_metadata` decides
    /// (`MetadataWait`): a waiting PR is held back, with the later PRs touching the same tests; past
    /// the limit it lands without its metadata, and the run says so.
    func metadataWait(_ unit: ImportUnit) throws -> Importability {
        guard settings.waitForMetadata, let pr = unit.pullRequest, let sync = try downstream?.downstreamSync(pullRequest: pr),
              sync.awaitsMetadata(stability: stabilityRuns) else { return .ready(.apply) }
        let merged = try mirror.commit(try mirror.resolve(unit.head)).committer.time
        let wait = MetadataWait.decide(pullRequest: pr, sync: sync, mergedAt: Date(timeIntervalSince1970: TimeInterval(merged)),
                                       now: now(), limit: settings.metadataWaitSeconds, stability: stabilityRuns)
        if case .landWithout(let note) = wait { metadataNotes.append(note) }
        return wait.importability
    }

    /// What `unit` touches: its changed paths (`[landing] exclude` left out) and the tests a try
    /// run of it would run, as downstreaming selects them.
    func footprint(_ unit: ImportUnit) throws -> UnitFootprint {
        let changes = try PullRequestChanges.read(git: mirror, head: unit.head, master: unit.base, exclude: settings.exclude,
                                                  maxTestPaths: maxTestPaths)
        return UnitFootprint(changed: changes.paths, affected: changes.affected)
    }

    /// The `recheck_marks` entry listing the units held back (JSON; empty: none).
    static let heldMark = "landing-metadata-wait"

    /// Records the units this run held back, when that changed; the periodic retry runs the
    /// landing again while some are, and `wptsync landings` shows them.
    func rememberHeld(_ held: [HeldUnit]) throws {
        guard let marks else { return }
        let mark = held.isEmpty ? "" : JSONLine.encode(held)
        if try (marks.recheckMark(Self.heldMark) ?? "") != mark { try marks.setRecheckMark(Self.heldMark, to: mark) }
    }

    /// Whether the last landing run held units back (the periodic retry runs it again).
    var waitsForMetadata: Bool {
        get throws { try !(marks?.recheckMark(Self.heldMark) ?? "").isEmpty }
    }

    /// The units the last landing run held back, with why.
    static func held(in marks: any RecheckMarkStore) throws -> [HeldUnit] {
        guard let mark = try marks.recheckMark(heldMark), !mark.isEmpty else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (try? decoder.decode([HeldUnit].self, from: Data(mark.utf8))) ?? []
    }

    /// The metadata commit that follows the import of `unit` (`imported`, nil when Gecko had the
    /// change already), and the metadata it carries: the PR's stored metadata rebased three-way onto
    /// the metadata as it stands on `base` after the commits `landed` before it. No commit when the PR
    /// has no metadata or it changes nothing there.
    func metadataCommit(for unit: ImportUnit, after imported: PlannedCommit?, base: String,
                        landed: [PlannedCommit]) throws -> (commits: [PlannedCommit], carried: LandedMetadata?) {
        guard let pr = unit.pullRequest, let sync = try downstream?.downstreamSync(pullRequest: pr),
              let metadata = sync.metadata, metadata.error == nil else { return ([], nil) }
        let made = try metadataCommit(pullRequest: pr, bug: sync.bug, change: metadata, date: imported?.date, base: base, landed: landed)
        return (made.commit.map { [$0] } ?? [], LandedMetadata(pullRequest: pr, metadata: metadata, late: false, conflicts: made.conflicts))
    }

    /// The metadata commit of `pullRequest` making `change`, rebased three-way onto the metadata as it
    /// stands on `base` after the commits `landed` before it (nil when it changes nothing there); a
    /// file Gecko changed in an overlapping way is left as Gecko has it, and said.
    func metadataCommit(pullRequest pr: Int, bug: Int?, change metadata: DownstreamMetadata, date: (seconds: Int64, offset: Int32)?, base: String,
                        landed: [PlannedCommit]) throws -> (commit: PlannedCommit?, conflicts: [String]) {
        guard !metadata.files.isEmpty else { return (nil, []) }
        var current: [String: String] = [:]
        for (path, file) in try workspace().source.files(at: base, paths: metadata.files.keys.sorted().map { HgPath($0) }) {
            current[path.description] = String(decoding: file.data, as: UTF8.self)
        }
        for commit in landed {
            for (path, change) in commit.files where metadata.files[path.description] != nil {
                if case .write(let file) = change { current[path.description] = String(decoding: file.data, as: UTF8.self) } else { current[path.description] = nil }
            }
        }
        let (files, conflicts) = MetadataRebase.rebase(metadata, onto: current)
        if !conflicts.isEmpty {
            metadataNotes.append("PR #\(pr): metadata left as Gecko has it, changed there since: " + conflicts.joined(separator: ", "))
        }
        guard !files.isEmpty else { return (nil, conflicts) }
        var changes: [HgPath: PlannedCommit.FileChange] = [:]
        for (path, text) in files {
            changes[HgPath(path)] = text.map { .write(HgFile(data: Array($0.utf8), flags: .regular)) } ?? .remove
        }
        return (PlannedCommit(user: settings.user, date: date ?? (Int64(now().timeIntervalSince1970), 0),
                              message: LandingText.metadataCommit(bug: bug ?? settings.bug, pullRequest: pr), files: changes), conflicts)
    }
}
