import Foundation
import HookIntake
import RepoOps
import Store
import SyncCore

extension Application {
    /// Runs the landing again after a person fixed what did not apply (or to retry a deferred one
    /// now). `take` settles the recorded conflict's files: upstream's version or Gecko's. The lines
    /// returned show control characters escaped.
    public func continueLanding(take: ConflictResolution? = nil) throws -> [String] {
        guard let runner = try LandingRunner.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw LandingError.notConfigured("no enabled [landing] section")
        }
        let waiting = try journal.landings(statuses: [.needsFixup, .deferred, .open]).first
        let backedOut = try journal.landings(statuses: nil, limit: 1).first.flatMap { $0.status == .backedOut ? $0 : nil }
        guard let landing = waiting ?? backedOut else { throw LandingError.nothingToContinue }
        var lines: [String] = []
        if let take {
            guard var landing = waiting, landing.status == .needsFixup, let conflict = landing.conflict else {
                throw LandingError.nothingToSettle(landing.id)
            }
            let refused = conflict.files.filter { ImportRefusal.of(conflictEntry: $0) != nil }
            if take == .upstream && !refused.isEmpty {
                throw LandingError.refusedFiles(landing.id, files: refused, pullRequest: conflict.pullRequest)
            }
            let files = conflict.files.map(ImportRefusal.path(ofConflictEntry:))
            landing.resolutions = (landing.resolutions ?? [:]).merging(files.map { ($0, take) }) { $1 }
            landing = try journal.save(landing)
            lines.append("landing \(landing.id): taking \(take.rawValue)'s version of \(files.joined(separator: ", "))")
        }
        return (lines + (try runner.run(resuming: true))).map(ControlCharacters.escaped)
    }

    /// Fetches upstream master into the mirror (for deployments no push reaches) and records the
    /// update as the post-receive hook would, so the same processing follows. Returns what moved.
    public func fetchUpstream() throws -> String {
        guard let mirror = config.wpt else { throw LandingError.notConfigured("no [wpt] mirror") }
        guard let url = mirror.fetchURL ?? mirror.upstreamPushURL else {
            throw LandingError.notConfigured("[wpt] fetch_url (or upstream_push_url) is needed to fetch upstream")
        }
        let git = try GitRepository.open(at: mirror.path, locks: .wptMirror)
        let ref = "refs/heads/master"
        let old = try git.referenceTarget(ref)?.hex ?? RefUpdate.zero
        try git.fetch(from: url, refspecs: ["\(ref):\(ref)"], credentials: .none)
        let new = try git.referenceTarget(ref)?.hex ?? RefUpdate.zero
        guard old != new else { return "upstream master unchanged at \(new.prefix(12))" }
        let outcome = HookIntake(config: config).record(.gitPush(GitPush(repository: "wpt", updates: [RefUpdate(old: old, new: new, ref: ref)])))
        return "upstream master \(old.prefix(12))..\(new.prefix(12)): \(outcome)"
    }

    /// The upstream units the last landing run held back (waiting for their metadata, or touching
    /// the same tests as one that does), with why.
    public func heldImports() throws -> [HeldUnit] { try LandingRunner.held(in: journal) }

    /// Sets by hand which PR an upstream commit came from (nil: none).
    public func mapCommit(_ sha: String, pullRequest: Int?) throws -> String {
        guard let mirror = config.wpt else { throw LandingError.notConfigured("no [wpt] mirror") }
        let git = try GitRepository.open(at: mirror.path)
        guard sha.count >= 7, sha.allSatisfy(\.isHexDigit), let full = try? git.resolve(sha).hex else {
            throw LandingError.unknownCommit(sha, mirror: mirror.path)
        }
        let before = try journal.commitMapping(sha: full)
        try journal.setCommitMapping(CommitMapping(sha: full, pullRequest: pullRequest, source: "manual", title: before?.title))
        let describe = { (pr: Int?) in pr.map { "PR #\($0)" } ?? "no PR" }
        return "upstream commit \(full.prefix(12)): \(before.map { describe($0.pullRequest) + " (\($0.source))" } ?? "unmapped") -> \(describe(pullRequest)) (manual)"
    }
}

extension LandingFormat {
    /// One landing as a JSON object.
    public static func json(_ landing: Landing) -> String { JSONLine.encode(landing) }
}
