import CGit2

/// Who made a commit and when.
public struct GitSignature: Hashable, Sendable {
    /// Must not contain `<`, `>` or a newline; libgit2 trims surrounding spaces.
    public var name: String
    public var email: String
    /// Seconds since the Unix epoch.
    public var time: Int64
    /// Offset from UTC in minutes, positive east of Greenwich.
    public var offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// A commit as read from a repository.
public struct GitCommit: Hashable, Sendable {
    public var oid: Oid
    public var tree: Oid
    public var parents: [Oid]
    public var author: GitSignature
    public var committer: GitSignature
    /// The message exactly as stored, byte for byte.
    public var message: [UInt8]
}

extension GitRepository {
    /// Reads commit `oid`.
    public func commit(_ oid: Oid) throws(GitError) -> GitCommit {
        var raw = oid.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &raw), "read commit \(oid)")
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).map { Oid(git_commit_parent_id(commit, $0)) }
        let message = git_commit_message_raw(commit).map(cStringBytes) ?? []
        return GitCommit(oid: oid, tree: Oid(git_commit_tree_id(commit)), parents: parents,
                         author: GitSignature(git_commit_author(commit)),
                         committer: GitSignature(git_commit_committer(commit)),
                         message: message)
    }

    /// Writes a commit object and returns its id; no reference is updated.
    /// `message` is stored byte for byte (nothing is added or cleaned up) and must not contain NUL.
    public func createCommit(tree: Oid, parents: [Oid], author: GitSignature, committer: GitSignature,
                             message: [UInt8]) throws(GitError) -> Oid {
        guard !message.contains(0) else { throw .invalidMessage(reason: "contains a NUL byte") }
        let authorSignature = try author.makeC()
        defer { git_signature_free(authorSignature) }
        let committerSignature = try committer.makeC()
        defer { git_signature_free(committerSignature) }
        let treeObject = try lookupTree(tree)
        defer { git_tree_free(treeObject) }
        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var raw = parent.raw
            var object: OpaquePointer?
            try check(git_commit_lookup(&object, handle, &raw), "read parent commit \(parent)")
            parentObjects.append(object)
        }
        let cMessage = message.map { CChar(bitPattern: $0) } + [0]
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_commit_create_buffer(&buffer, handle, authorSignature, committerSignature, nil,
                                           cMessage, treeObject, parentObjects.count, &parentObjects), "create commit")
        return try writeObject(buffer.ptr, count: buffer.size, type: GIT_OBJECT_COMMIT)
    }

    /// The commits reachable from `heads` but not from `hiding`, parents before children
    /// (`sorted: false`: in the walk's own order, which spares sorting them).
    public func commits(from heads: [Oid], hiding: [Oid] = [], sorted: Bool = true) throws(GitError) -> [Oid] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, handle), "start revision walk")
        defer { git_revwalk_free(walk) }
        if sorted {
            try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "sort revision walk")
        }
        for head in heads {
            var raw = head.raw
            try check(git_revwalk_push(walk, &raw), "walk from \(head)")
        }
        for hidden in hiding {
            var raw = hidden.raw
            try check(git_revwalk_hide(walk, &raw), "hide \(hidden)")
        }
        var result: [Oid] = []
        var next = git_oid()
        while true {
            let code = git_revwalk_next(&next, walk)
            if code == GIT_ITEROVER.rawValue { return result }
            try check(code, "walk revisions")
            result.append(Oid(next))
        }
    }
}

extension GitSignature {
    init(_ signature: UnsafePointer<git_signature>) {
        let s = signature.pointee
        self.init(name: String(cString: s.name), email: String(cString: s.email),
                  time: Int64(s.when.time), offsetMinutes: s.when.offset)
    }

    /// A libgit2 signature; free it with `git_signature_free`.
    func makeC() throws(GitError) -> UnsafeMutablePointer<git_signature> {
        var signature: UnsafeMutablePointer<git_signature>?
        let code = git_signature_new(&signature, name, email, git_time_t(time), offsetMinutes)
        try check(code, "make signature for \(name) <\(email)>")
        return signature!
    }
}
