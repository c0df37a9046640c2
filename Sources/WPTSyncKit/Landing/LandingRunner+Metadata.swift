import Foundation
import RepoOps
import Store
import SyncCore

extension LandingRunner {
    /// The importability of a PR that is otherwise applied, as `[landing] wait_for_metadata` decides
    /// (`MetadataWait`): a landing past the limit lands it without its metadata and says so.
    func metadataWait(_ unit: ImportUnit) throws -> Importability {
        guard settings.waitForMetadata, let pr = unit.pullRequest, let sync = try downstream?.downstreamSync(pullRequest: pr),
              sync.awaitsMetadata else { return .ready(.apply) }
        let merged = try mirror.commit(try mirror.resolve(unit.head)).committer.time
        switch MetadataWait.decide(pullRequest: pr, sync: sync,
                                   mergedAt: Date(timeIntervalSince1970: TimeInterval(merged)), now: now(),
                                   limit: settings.metadataWaitSeconds) {
        case .land:
            return .ready(.apply)
        case .wait(let reason):
            metadataNotes.append(reason)
            metadataWaitingFor = pr
            return .wait(reason: reason)
        case .landWithout(let note):
            metadataNotes.append(note)
            return .ready(.apply)
        }
    }

    /// The `recheck_marks` entry naming the PR a landing waits for (empty: none).
    static let metadataWaitMark = "landing-metadata-wait"

    /// Records the PR this run waits for, when that changed; the periodic retry runs the landing
    /// again while one is recorded.
    func rememberMetadataWait() throws {
        guard let marks else { return }
        let mark = metadataWaitingFor.map(String.init) ?? ""
        if try (marks.recheckMark(Self.metadataWaitMark) ?? "") != mark { try marks.setRecheckMark(Self.metadataWaitMark, to: mark) }
    }

    /// Whether a landing waits for a PR's metadata (the periodic retry runs it again).
    var waitsForMetadata: Bool {
        get throws { try !(marks?.recheckMark(Self.metadataWaitMark) ?? "").isEmpty }
    }

    /// The metadata commit that follows the import of `unit` (`imported`, nil when Gecko had the
    /// change already): the PR's stored metadata rebased three-way onto the metadata as it stands on
    /// `base` after the commits `landed` before it. None when the PR has no metadata or it changes
    /// nothing there; a file Gecko changed in an overlapping way is left as Gecko has it, and said.
    func metadataCommit(for unit: ImportUnit, after imported: PlannedCommit?, base: String, landed: [PlannedCommit]) throws -> [PlannedCommit] {
        guard let pr = unit.pullRequest, let sync = try downstream?.downstreamSync(pullRequest: pr),
              let metadata = sync.metadata, metadata.error == nil, !metadata.files.isEmpty else { return [] }
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
        guard !files.isEmpty else { return [] }
        var changes: [HgPath: PlannedCommit.FileChange] = [:]
        for (path, text) in files {
            changes[HgPath(path)] = text.map { .write(HgFile(data: Array($0.utf8), flags: .regular)) } ?? .remove
        }
        return [PlannedCommit(user: settings.user, date: imported?.date ?? (Int64(now().timeIntervalSince1970), 0),
                              message: LandingText.metadataCommit(bug: sync.bug ?? settings.bug, pullRequest: pr), files: changes)]
    }
}
