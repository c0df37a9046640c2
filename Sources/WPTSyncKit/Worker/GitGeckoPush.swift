import RepoOps
import SyncCore

extension HgPushHandler {
    /// A git Gecko repository's branch moved: its new commits (`old..new`; for a new branch, those
    /// no other branch has) are read with libgit2 and go through the same rules as a Mercurial push.
    func handle(_ push: GitPush, pushedTo repository: GeckoRepository) throws -> String {
        guard repository.kind == .git else { throw HandlerError.wrongPayload(expected: .hgPush, got: .gitPush) }
        guard repository.role != .try else { return "push to \(push.repository): autoland reads only Mercurial try repositories" }
        let gecko = try servers.git(for: repository)
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
