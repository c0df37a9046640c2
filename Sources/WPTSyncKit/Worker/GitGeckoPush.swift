import RepoOps
import SyncCore

extension HgPushHandler {
    /// A git Gecko repository's branch moved: its new commits (`old..new`; for a new branch, those
    /// no other branch has) are read with libgit2 and go through the same rules as a Mercurial push.
    func handle(_ push: GitPush, pushedTo repository: GeckoRepository) throws -> String {
        guard repository.kind == .git else { throw HandlerError.wrongPayload(expected: .hgPush, got: .gitPush) }
        let gecko = try servers.git(for: repository)
        if repository.role == .try { return try handleTry(push, in: gecko) }
        var summaries: [String] = []
        for update in push.updates {
            if update.isDeletion {
                summaries.append("push to \(push.repository): \(update.ref) deleted, nothing to read")
                continue
            }
            let changesets: [HgChangeset]
            do {
                changesets = try gecko.changesets(from: update.isCreation ? nil : update.old, to: update.new)
            } catch GitError.unknownRevision(let revision, _) {
                throw HandlerError.unknownRevision(repository: push.repository, revisions: revision)
            }
            summaries.append(try process(changesets, pushedTo: repository))
        }
        return summaries.joined(separator: "\n")
    }
}

extension HgPushHandler {
    /// A git try push: each update of the try branch goes to the try intake (autoland); a tip the
    /// repository does not have fails the event permanently, as for the other pushes.
    func handleTry(_ push: GitPush, in gecko: GitGecko) throws -> String {
        guard let tryPushes else { return "push to \(push.repository): autoland is not configured" }
        var summaries: [String] = []
        for update in push.updates where !update.isDeletion {
            let tryPush = TryPush(repository: push.repository, tip: update.new, user: push.user, source: gecko) {
                try self.tryCommits(update, in: gecko)
            }
            do {
                summaries.append(try tryPushes.handle(tryPush))
            } catch GitError.unknownRevision(let revision, _) {
                throw HandlerError.unknownRevision(repository: push.repository, revisions: revision)
            }
        }
        return summaries.joined(separator: "\n")
    }

    /// The commits a try push (an update of the try branch, forced or not) brings, parents first:
    /// those its new tip reaches and the central branch's tip does not (with a git central;
    /// commits central holds are left out even when the try repository lacks central's tip), else
    /// those the old tip does not reach (for a new branch, those no other branch has). Central's
    /// commits are left out before any is read: a forced update can bring hundreds of them.
    func tryCommits(_ update: RefUpdate, in gecko: GitGecko) throws -> [HgChangeset] {
        let centralRepository = config.gecko.first { $0.role == .central && $0.kind == .git }
        let central = try centralRepository.map { try servers.git(for: $0) }
        let centralTip = try centralRepository?.branch.flatMap { try central?.changeset($0).node }
        let hidden = centralTip.flatMap { gecko.holds($0) ? $0 : nil } ?? (update.isCreation ? nil : update.old)
        let commits = try gecko.commits(from: hidden, to: update.new)
        guard let central else { return try gecko.changesets(of: commits) }
        // One rescan of central's packs, then lookups that do not rescan on each miss.
        try central.git.refreshObjects()
        return try gecko.changesets(of: commits.filter { !central.git.holds($0) })
    }
}
