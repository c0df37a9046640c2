import CGit2
import Foundation

/// wptsync's own bare clone of a git Gecko integration repository: the branch is fetched into it
/// (libgit2), landing commits are written there in memory (trees edited with `TreeEditor`, no work
/// tree), then pushed to the branch with `git push` (so the destination's hooks run, and a branch
/// that moved is refused, never overwritten) or formatted as patches for Lando.
public final class GitLandingClone: LandingWorkspace {
    public let gecko: GitGecko
    /// Where the integration repository is fetched from and pushed to.
    public let url: String
    /// The integration branch's full name, e.g. `refs/heads/autoland`.
    public let branch: String
    /// The clone's copy of the branch as last fetched.
    static let fetched = "refs/wptsync/integration"
    /// What a push through libgit2 last sent.
    static let pushed = "refs/wptsync/pushed"

    /// Opens the clone at `path`, creating it (bare) when missing.
    public init(path: String, url: String, branch: String) throws(ImportError) {
        self.url = url; self.branch = branch
        do {
            if !FileManager.default.fileExists(atPath: path) { _ = try GitRepository.initBare(at: path) }
            gecko = try GitGecko(path: path, locks: .ownClone)
        } catch { throw .geckoGit(error) }
    }

    var git: GitRepository { gecko.git }
    public var source: any GeckoSource { gecko }

    public func whileLocked<T>(_ body: () throws -> T) throws -> T {
        try whileHoldingLock(gecko.path + "/wptsync-landing.lock", body)
    }

    /// Fetches the branch; commits built earlier and never pushed are simply left unreferenced.
    public func refresh() throws -> String {
        do {
            try git.fetch(from: url, refspecs: ["+\(branch):\(Self.fetched)"], credentials: Self.credentials(for: url))
            return try git.resolve(Self.fetched).hex
        } catch { throw ImportError.geckoGit(error) }
    }

    /// Writes each commit with the author as committer too, so the same inputs give the same hashes.
    public func commit(_ commits: [PlannedCommit], onto parent: String) throws(ImportError) -> [String] {
        do throws(GitError) {
            var parentID = try Oid(hex: parent)
            var tree = try git.commit(parentID).tree
            var nodes: [String] = []
            for planned in commits {
                var editor = TreeEditor()
                for (path, change) in planned.files.sorted(by: { $0.key < $1.key }) {
                    switch change {
                    case .remove: editor.delete(path)
                    case .write(let file): editor.upsert(path, oid: try git.writeBlob(file.data), mode: FileMode(rawValue: file.flags.gitMode))
                    }
                }
                tree = try editor.write(onto: tree, in: git)
                let signature = Self.signature(planned)
                // Mercurial stores descriptions as UTF-8; so does this, for the same commits.
                let message = Array(String(decoding: planned.message, as: UTF8.self).utf8)
                parentID = try git.createCommit(tree: tree, parents: [parentID], author: signature, committer: signature, message: message)
                nodes.append(parentID.hex)
            }
            return nodes
        } catch { throw ImportError.geckoGit(error) }
    }

    /// Pushes `node` to the branch, unforced: a branch someone moved meanwhile is a lost race. A
    /// repository on this machine gets a `git push`, so that its hooks run (libgit2's local transport
    /// runs none); a remote one gets libgit2's, so its URL, which may hold a password, reaches no
    /// process's arguments.
    public func push(_ node: String) throws -> PushOutcome {
        try push(node, to: url, branch: branch)
    }

    /// Pushes `node` to `branch` of the repository at `url`; `force` moves the branch wherever it
    /// was (a try push), else a branch someone moved is a lost race.
    func push(_ node: String, to url: String, branch: String, force: Bool = false) throws -> PushOutcome {
        let refspec = (force ? "+" : "") + "\(node):\(branch)"
        guard Self.isLocal(url) else { return pushThroughLibgit2(node, to: url, branch: branch, force: force) }
        let output: ProcessOutput
        do {
            output = try ProcessRunner.run("git", ["--git-dir", gecko.path, "push", "--porcelain", "--", url, refspec],
                                           extraEnvironment: ProcessRunner.sshAgent())
        } catch { throw ImportError.commandFailed(command: ["git", "push"], status: -1, output: "\(error)") }
        let message = (output.stderrString + output.stdoutString).trimmingCharacters(in: .whitespacesAndNewlines)
        if output.status == 0 { return message.contains("[up to date]") ? .nothingToPush : .pushed }
        if message.contains("[rejected]") { return .lostRace(message) }
        return .failure(message, refused: Self.isRefusal(message))
    }

    /// Whether git's `--porcelain` output for a failed push says that the destination refused the
    /// update (its `pre-receive` or `update` hook): not a reference it could not lock.
    static func isRefusal(_ message: String) -> Bool {
        message.split(separator: "\n").contains { line in
            guard let marker = line.range(of: "[remote rejected]") else { return false }
            return !isPassingReason(String(line[marker.upperBound...]))  // the reason only, not the reference's name
        }
    }

    /// Whether a remote's reason for not updating a reference is passing: a lock, a failed write.
    static func isPassingReason(_ reason: String) -> Bool {
        reason.contains("lock") || reason.contains("failed to update ref")
    }

    private func pushThroughLibgit2(_ node: String, to url: String, branch: String, force: Bool) -> PushOutcome {
        do throws(GitError) {
            try git.updateReference(Self.pushed, to: try Oid(hex: node), expecting: .any)  // libgit2 pushes references, not ids
            try git.push(to: url, refspecs: [(force ? "+" : "") + "\(Self.pushed):\(branch)"], credentials: Self.credentials(for: url))
            return .pushed
        } catch {
            switch error {
            case .pushRejected(_, let rejections) where rejections.values.contains(where: Self.isRaceReason):
                return .lostRace(error.description)
            case .pushRejected(_, let rejections):
                return .failure(error.description, refused: !rejections.values.contains(where: Self.isPassingReason))
            case .libgit2(_, let code, _, _) where code == GIT_ENONFASTFORWARD.rawValue:
                // The remote's tip is not an ancestor, or not even known here: libgit2 says so for
                // both. `GIT_ENOTFOUND` means something else is missing (the remote repository).
                return .lostRace(error.description)
            default:
                return .failed(error.description)
            }
        }
    }

    /// Whether a remote's reason for refusing a reference says that it moved.
    static func isRaceReason(_ reason: String) -> Bool {
        ["non-fast-forward", "fetch first", "stale info"].contains { reason.contains($0) }
    }

    /// A path, or a `file:` URL: a repository whose hooks only `git push` runs.
    static func isLocal(_ url: String) -> Bool {
        url.hasPrefix("file://") || (!url.contains("://") && !(url.contains("@") && url.contains(":")))
    }

    /// Searches the branch's first-parent history from `tip` back to `base` for the newest commit
    /// carrying every marker line that ends the landing: it and the `nodes.count - 1` commits
    /// before it. Lando rewrites the commits it lands, so hashes cannot be compared; instead each
    /// of those commits must be its built commit's counterpart, in order (`isLanded`), so that
    /// commits with the same message are told apart. Built commits the clone no longer has (a new
    /// clone) leave the marker lines alone to recognise the landing.
    public func landed(_ nodes: [String], markers: [String], base: String, tip: String) throws -> [String]? {
        guard !nodes.isEmpty else { return nil }
        do throws(GitError) {
            let stop = try? Oid(hex: base)
            var chain: [GitCommit] = []
            var current: Oid? = try Oid(hex: tip)
            while let oid = current, oid != stop, chain.count < Self.searchLimit {
                let commit = try git.commit(oid)
                chain.append(commit)
                current = commit.parents.first
            }
            let built = try? nodes.map { (node) throws(GitError) in try git.commit(try Oid(hex: node)) }
            for index in chain.indices where Self.carries(chain[index].message, markers) {
                let landing = Array(chain[index...].prefix(nodes.count).reversed())
                guard let built else { return landing.map(\.oid.hex) }
                if try isLanded(built, as: landing) { return landing.map(\.oid.hex) }
            }
            return nil
        } catch { throw ImportError.geckoGit(error) }
    }

    /// Whether `landed` (oldest first) are the `built` commits as Lando wrote them: as many, each
    /// carrying every line of its built commit's message, and with the same trees when they sit on
    /// the same base, else changing the same paths (Lando applied them onto a newer tip).
    func isLanded(_ built: [GitCommit], as landed: [GitCommit]) throws(GitError) -> Bool {
        guard landed.count == built.count else { return false }
        let sameBase = landed.first?.parents.first == built.first?.parents.first
        for (commit, original) in zip(landed, built) {
            guard Self.carries(commit.message, Self.lines(of: original.message)) else { return false }
            if sameBase {
                guard commit.tree == original.tree else { return false }
            } else {
                guard let parent = commit.parents.first, let originalParent = original.parents.first,
                      Set(try git.changedPaths(old: git.commit(parent).tree, new: commit.tree))
                        == Set(try git.changedPaths(old: git.commit(originalParent).tree, new: original.tree)) else { return false }
            }
        }
        return true
    }

    public func holds(_ node: String, reachableFrom tip: String) -> Bool {
        guard let commit = try? gecko.commitID(node), let tipID = try? Oid(hex: tip) else { return false }
        return commit == tipID || (try? git.mergeBase(commit, tipID)) == commit
    }

    /// How many commits of the branch `landed` looks at.
    static let searchLimit = 5_000

    /// The `git format-patch` output of each commit, for Lando's `add-commit-base64` actions.
    public func patches(_ nodes: [String]) throws -> [[UInt8]] {
        do throws(GitError) {
            return try nodes.map { (node) throws(GitError) in try git.formatPatch(try Oid(hex: node)) }
        } catch { throw ImportError.geckoGit(error) }
    }

    public func runInCheckout(_ node: String, command: [String], timeout: Double) throws -> [HgPath: PlannedCommit.FileChange] {
        throw ImportError.commandFailed(command: command, status: -1, output: "landing commands are not supported for a git integration repository yet")
    }

    static func carries(_ message: [UInt8], _ markers: [String]) -> Bool {
        let lines = Set(lines(of: message))
        return markers.allSatisfy(lines.contains)
    }

    /// The non-empty lines of `message`, trimmed.
    static func lines(of message: [UInt8]) -> [String] {
        String(decoding: message, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `Name <email>` and the date of a planned commit as a git signature.
    static func signature(_ commit: PlannedCommit) -> GitSignature {
        var name = commit.user, email = ""
        if let open = commit.user.range(of: " <", options: .backwards), commit.user.hasSuffix(">") {
            name = String(commit.user[..<open.lowerBound])
            email = String(commit.user[open.upperBound...].dropLast())
        }
        // Mercurial's offset is seconds west of UTC; git's minutes east.
        return GitSignature(name: name, email: email, time: commit.date.seconds, offsetMinutes: -commit.date.offset / 60)
    }

    static func credentials(for url: String) -> RemoteCredentials {
        url.hasPrefix("ssh://") || (url.contains("@") && !url.contains("://")) ? .sshAgent() : .none
    }
}
