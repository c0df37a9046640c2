import Foundation
import RepoOps

/// A seeded burst of pushes to several git Gecko integration repositories of an `UpstreamWorld`
/// (each a `[[gecko]]` with branch `autoland`; the world's `autoland` is the first): changes for
/// bugs of each repository's own, follow-ups, and `git revert` backouts of changes pushed in an
/// earlier push. The commits are written with libgit2 in the developer clone's object database;
/// each push is one `git push` through the repository's `post-receive` hook.
public final class GeckoBurst: @unchecked Sendable {
    /// A wpt change of the burst.
    public struct Change: Sendable {
        public var sha: String
        public var bug: Int
        public var repository: String
        /// The file it adds, and its first line.
        public var path: String
        public var subject: String
        public var backedOut = false
    }

    public struct Push: Sendable {
        /// The integration repository's name.
        public var repository: String
        /// The commit the push moved the branch to.
        public var tip: String
        /// How many commits it carried.
        public var changesets: Int
    }

    /// Repository name → path.
    public let repositories: [(name: String, path: String)]
    /// Every push, in the order they are made (the repositories take turns).
    public private(set) var pushes: [Push] = []
    /// Every change, in commit order.
    public private(set) var changes: [Change] = []
    private let world: SyncWorld

    /// Makes `extraRepositories` more integration repositories (`inbound-1`, …) next to autoland,
    /// configured and with wptsync's hooks, and plans `pushesPerRepository` pushes of 1 to
    /// `maxChangesetsPerPush` changesets each for every repository.
    public init(_ world: SyncWorld, extraRepositories: Int, pushesPerRepository: Int, maxChangesetsPerPush: Int, seed: UInt64) throws {
        precondition(world.geckoKind == .git, "a burst pushes to git Gecko repositories")
        self.world = world
        let base = try sh("git", ["rev-parse", "HEAD"], in: world.geckoClone).trimmingCharacters(in: .whitespacesAndNewlines)
        var repositories = [(name: "autoland", path: world.autoland)]
        for index in (0..<extraRepositories).map({ $0 + 1 }) {
            let name = "inbound-\(index)", path = world.dir.sub("\(name).git")
            try sh("git", ["init", "-q", "--bare", "-b", "autoland", path])
            try sh("git", ["push", "-q", path, "\(base):refs/heads/autoland"], in: world.geckoClone)
            let config = try String(contentsOfFile: world.config, encoding: .utf8)
            try writeFile(world.config, config + "\n[[gecko]]\nname = \"\(name)\"\npath = \"\(path)\"\nrole = \"integration\"\nkind = \"git\"\nbranch = \"autoland\"\n")
            try world.wptsync(["install-hooks", path])
            repositories.append((name, path))
        }
        self.repositories = repositories

        let git = try GitRepository.open(at: world.geckoClone)
        var random = SeededGenerator(seed: seed)
        var tips = [String: Oid](uniqueKeysWithValues: try repositories.map { ($0.name, try Oid(hex: base)) })
        var time: Int64 = 1_700_000_000
        for round in 0..<pushesPerRepository {
            for (index, repository) in repositories.enumerated() {
                // Changes pushed before this push, still in: the ones a backout may take.
                let earlier = changes.indices.filter { !changes[$0].backedOut && changes[$0].repository == repository.name }
                let count = Int.random(in: 1...maxChangesetsPerPush, using: &random)
                var tip = tips[repository.name]!
                for _ in 0..<count {
                    time += 1
                    let signature = GitSignature(name: "Burst", email: "burst@example.com", time: time)
                    let choice = Double.random(in: 0..<1, using: &random)
                    var tree = TreeEditor()
                    let message: String
                    var bug = 0, path = ""
                    if choice < 0.25, let taken = earlier.filter({ !changes[$0].backedOut }).randomElement(using: &random) {
                        changes[taken].backedOut = true
                        tree.delete(GitPath(changes[taken].path))
                        message = "Revert \"\(changes[taken].subject)\"\n\nThis reverts commit \(changes[taken].sha).\n"
                    } else {
                        let ownBugs = Set(changes.filter { $0.repository == repository.name }.map(\.bug))
                        bug = choice < 0.45 && !ownBugs.isEmpty ? ownBugs.sorted().randomElement(using: &random)!
                            : 100_000 * (index + 1) + ownBugs.count + 1
                        path = "testing/web-platform/tests/burst/\(repository.name)/\(bug)/r\(round)-\(changes.count).html"
                        tree.upsert(GitPath(path), oid: try git.writeBlob(Array("change \(changes.count)\n".utf8)))
                        message = "Bug \(bug) - Burst change \(changes.count) in \(repository.name). r=me\n"
                    }
                    let commit = try git.createCommit(tree: try tree.write(onto: try git.commit(tip).tree, in: git), parents: [tip],
                                                      author: signature, committer: signature, message: Array(message.utf8))
                    tip = commit
                    if bug != 0 {
                        changes.append(Change(sha: commit.hex, bug: bug, repository: repository.name, path: path,
                                              subject: String(message.prefix { $0 != "\n" })))
                    }
                }
                tips[repository.name] = tip
                pushes.append(Push(repository: repository.name, tip: tip.hex, changesets: count))
            }
        }
    }

    /// Makes the pushes in order; `after(n)` runs once `n` pushes are done.
    public func pushAll(after: (Int) throws -> Void = { _ in }) throws {
        let paths = Dictionary(uniqueKeysWithValues: repositories.map { ($0.name, $0.path) })
        for (index, push) in pushes.enumerated() {
            try sh("git", ["push", "-q", paths[push.repository]!, "\(push.tip):refs/heads/autoland"], in: world.geckoClone)
            try after(index + 1)
        }
    }

    /// The bugs of the burst, each with its changes still in (not backed out), in commit order.
    public var liveChangesByBug: [Int: [String]] {
        var result: [Int: [String]] = [:]
        for change in changes { result[change.bug, default: []] += change.backedOut ? [] : [change.sha] }
        return result
    }
}
