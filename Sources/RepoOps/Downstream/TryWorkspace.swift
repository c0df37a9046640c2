import Foundation
import SyncCore

/// wptsync's clone of mozilla-central where try commits are built in memory (`TryCommitBuilder`)
/// and from which they are pushed to try: Mercurial (`HgLandingWorkspace`) or git
/// (`GitLandingClone`), as mozilla-central is; `refresh` fetches central's tip.
public protocol TryWorkspace: LandingWorkspace {
    /// Pushes the try commit `node` to the try repository at `url` (with git, to its `branch`);
    /// `nothingToPush` when try has it already (a rebuild after a crash between the push and its record).
    func pushToTry(_ node: String, url: String, branch: String) throws -> PushOutcome
    /// The `git format-patch` output of the try commit `node`, for Lando's try API.
    func tryPatch(_ node: String) throws -> [UInt8]
    /// The tip of the try repository at `url` (with git, its `branch`) when its first parent is
    /// `base` and its message carries every line of `markers`: a try commit Lando pushed for a
    /// submission whose answer was lost. Nil otherwise (or when the branch does not exist).
    func findOnTry(markers: [String], base: String, url: String, branch: String) throws -> String?
}

extension HgLandingWorkspace: TryWorkspace {
    /// Mercurial's try keeps every head: the commit is pushed as a new one (`branch` is git's).
    public func pushToTry(_ node: String, url: String, branch: String) throws -> PushOutcome {
        try clone.push(node, to: url, newHead: true)
    }

    /// Lando's try API is given git patches: try through Lando needs a git mozilla-central.
    public func tryPatch(_ node: String) throws -> [UInt8] {
        throw ImportError.needsGitCentral(what: "try pushes through Lando's try API ([downstream] try_push = \"lando\")")
    }

    /// Nil: Lando's try API is never used with a Mercurial clone (`tryPatch` refuses), so no lost answer is looked for.
    public func findOnTry(markers: [String], base: String, url: String, branch: String) throws -> String? { nil }
}

extension GitLandingClone: TryWorkspace {
    /// Force-pushed to the try repository's `branch` (full name), as a person's `git push try +HEAD:try`.
    /// A try repository on this machine that holds the commit already (the branch moved on since)
    /// is not pushed to again, so a rebuild never makes a second try run (for a remote one, the
    /// caller asks Taskcluster's index).
    public func pushToTry(_ node: String, url: String, branch: String) throws -> PushOutcome {
        if Self.isLocal(url), let oid = try? Oid(hex: node),
           let tryRepository = try? GitRepository.open(at: url.hasPrefix("file://") ? String(url.dropFirst(7)) : url),
           tryRepository.contains(oid) {
            return .nothingToPush
        }
        return try push(node, to: url, branch: branch, force: true)
    }

    public func tryPatch(_ node: String) throws -> [UInt8] {
        guard let patch = try patches([node]).first else { throw ImportError.commandFailed(command: ["git", "format-patch", node], status: -1, output: "no patch") }
        return patch
    }

    /// Fetches try's `branch` into `refs/wptsync/try` and reads its tip.
    public func findOnTry(markers: [String], base: String, url: String, branch: String) throws -> String? {
        let fetched = "refs/wptsync/try"
        do throws(GitError) {
            // libgit2 fetches nothing, without an error, when the branch does not exist: an earlier
            // look's tip must not stay behind to be taken for try's.
            try gecko.git.deleteReference(fetched)
            try gecko.git.fetch(from: url, refspecs: ["+\(branch):\(fetched)"], credentials: Self.credentials(for: url))
            guard let tip = try gecko.git.referenceTarget(fetched) else { return nil }
            let commit = try gecko.git.commit(tip)
            return commit.parents.first?.hex == base && Self.carries(commit.message, markers) ? tip.hex : nil
        } catch { throw ImportError.geckoGit(error) }
    }
}

extension GeckoKind {
    /// The kind of the repository at `path` on this machine (a path or a `file:` URL); nil for
    /// another URL or when there is none.
    public static func ofRepository(at path: String) -> GeckoKind? {
        guard !path.contains("://") || path.hasPrefix("file://") else { return nil }
        let local = path.hasPrefix("file://") ? String(path.dropFirst(7)) : path
        if FileManager.default.fileExists(atPath: local + "/.hg") { return .hg }
        return (try? GitRepository.open(at: local)) != nil ? .git : nil
    }

    /// How a message names the kind.
    public var name: String { self == .git ? "git" : "Mercurial" }
}
