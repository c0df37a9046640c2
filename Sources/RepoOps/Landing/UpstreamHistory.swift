/// One commit of upstream `master`'s first-parent history.
public struct UpstreamCommit: Sendable, Equatable {
    public var sha: String
    public var parents: [String]
    public var message: [UInt8]
    public var author: GitSignature

    public init(sha: String, parents: [String], message: [UInt8], author: GitSignature) {
        self.sha = sha; self.parents = parents; self.message = message; self.author = author
    }
}

extension GitRepository {
    /// The commits on the first-parent path from `base` (excluded) to `head` (included), oldest
    /// first: each is one change to master (a merge of a PR, a squash, or a pushed commit).
    public func firstParentHistory(from base: String, to head: String, limit: Int = 100_000) throws(ImportError) -> [UpstreamCommit] {
        var commits: [UpstreamCommit] = []
        do throws(GitError) {
            let baseOid = try resolve(base)
            var current: Oid? = try resolve(head)
            while let oid = current, oid != baseOid, commits.count < limit {
                let commit = try self.commit(oid)
                commits.append(UpstreamCommit(sha: commit.oid.hex, parents: commit.parents.map(\.hex),
                                              message: commit.message, author: commit.author))
                current = commit.parents.first
            }
            if current == baseOid { return commits.reversed() }
        } catch {
            throw .git(error)
        }
        throw .notAnAncestor(syncPoint: base, head: head)
    }
}
