import CGit2

/// libgit2's global state, initialised once on first use of the wrapper.
private let libgit2Initialized: Int32 = git_libgit2_init()

/// An open git repository. Only bare use is supported: nothing here reads or
/// writes a work tree, and indexes and trees are built in memory.
///
/// Not `Sendable`: keep a repository in one task (or behind an actor) and
/// open another instance elsewhere when needed.
public final class GitRepository {
    let handle: OpaquePointer
    /// Where new objects are written (`writer()`), made on first use.
    var writerHandle: OpaquePointer?

    /// The repository's git directory, ending with `/`.
    public let path: String
    /// Which stale lock files wptsync may remove here (`removeStaleLock`): by default only those of
    /// its own references; its clones and the wpt mirror say more.
    public var lockOwnership = LockOwnership.wptsyncReferences

    private init(handle: OpaquePointer) {
        self.handle = handle
        path = git_repository_path(handle).map { String(cString: $0) } ?? ""
    }

    deinit {
        git_repository_free(writerHandle)
        git_repository_free(handle)
    }

    /// Opens the repository whose git directory (or work tree) is exactly `path`;
    /// parent directories are not searched.
    /// `locks`: which stale lock files wptsync may remove there.
    public static func open(at path: String, locks: LockOwnership = .wptsyncReferences) throws(GitError) -> GitRepository {
        _ = libgit2Initialized
        var handle: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        try check(git_repository_open_ext(&handle, path, flags, nil), "open repository at '\(path)'")
        let repository = GitRepository(handle: handle!)
        repository.lockOwnership = locks
        return repository
    }

    /// Creates a bare repository at `path` (creating missing directories), or reopens
    /// the one already there. `initialBranch` names the branch HEAD points to (`main`).
    public static func initBare(at path: String, initialBranch: String? = nil) throws(GitError) -> GitRepository {
        _ = libgit2Initialized
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "initialise repository options")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue
        var handle: OpaquePointer?
        let code: Int32 = if let initialBranch {
            initialBranch.withCString { branch in
                options.initial_head = branch
                return git_repository_init_ext(&handle, path, &options)
            }
        } else {
            git_repository_init_ext(&handle, path, &options)
        }
        try check(code, "initialise bare repository at '\(path)'")
        return GitRepository(handle: handle!)
    }

    /// True when the repository has no work tree.
    public var isBare: Bool { git_repository_is_bare(handle) == 1 }

    /// True when the object database holds `oid`. A miss rescans the pack folders; a caller asking
    /// about many objects that may be missing calls `refreshObjects()` once and `holds(_:)` for each.
    public func contains(_ oid: Oid) -> Bool {
        withObjectDatabase { odb in var raw = oid.raw; return git_odb_exists(odb, &raw) == 1 } ?? false
    }

    /// True when the object database holds `oid`, as of its last rescan of the pack folders
    /// (`refreshObjects()`): a miss costs no rescan.
    public func holds(_ oid: Oid) -> Bool {
        withObjectDatabase { odb in
            var raw = oid.raw
            return git_odb_exists_ext(odb, &raw, UInt32(GIT_ODB_LOOKUP_NO_REFRESH.rawValue)) == 1
        } ?? false
    }

    /// Rescans the pack folders, so that objects another process stored since are seen.
    public func refreshObjects() throws(GitError) {
        let code = withObjectDatabase { odb in git_odb_refresh(odb) } ?? GIT_ERROR.rawValue
        try check(code, "refresh the object database")
    }

    private func withObjectDatabase<R>(_ body: (OpaquePointer?) -> R) -> R? {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return nil }
        defer { git_odb_free(odb) }
        return body(odb)
    }
}

@available(*, unavailable, message: "a repository handle belongs to one task; open another one elsewhere")
extension GitRepository: Sendable {}
