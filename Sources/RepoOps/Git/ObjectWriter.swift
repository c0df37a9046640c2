import CGit2

extension GitRepository {
    /// zlib's fastest level, what libgit2's own loose backend uses by default.
    static let looseCompressionLevel: Int32 = 1

    /// A handle on this repository's objects for writing new ones (blobs, trees, commits): its
    /// writes skip `git_odb_write`'s per-object freshening and pack-folder rescans (a dozen system
    /// calls for each new object), check the repository's database once and write a loose object
    /// (`writer_backend.h`). Reads, such as a tree builder's checks of the entries it is given, go
    /// to the repository's database; the headers of the last objects written are answered from memory.
    func writer() throws(GitError) -> OpaquePointer {
        if let writerHandle { return writerHandle }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle), "open the object database of '\(path)'")
        var folder = git_buf()
        defer { git_buf_dispose(&folder) }
        let found = git_repository_item_path(&folder, handle, GIT_REPOSITORY_ITEM_OBJECTS)
        if found < 0 {
            let error = GitError.lastError(code: found, operation: "find the objects folder of '\(path)'")
            git_odb_free(odb)
            throw error
        }
        var writer: OpaquePointer?
        try check(wptsync_writer_repository(&writer, odb, folder.ptr, Self.looseCompressionLevel, fsyncsObjects ? 1 : 0),
                  "open an object writer on '\(path)'")
        writerHandle = writer
        return writer!
    }

    /// Writes the `count` bytes at `bytes` as one object of `type`, through `writer()`.
    func writeObject(_ bytes: UnsafeRawPointer?, count: Int, type: git_object_t) throws(GitError) -> Oid {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, try writer()), "open the object writer of '\(path)'")
        defer { git_odb_free(odb) }
        var oid = git_oid()
        try check(git_odb_write(&oid, odb, bytes, count, type), "write \(String(cString: git_object_type2string(type)))")
        return Oid(oid)
    }

    /// Whether `core.fsyncObjectFiles` asks for loose objects to be synced, as libgit2 honours it.
    private var fsyncsObjects: Bool {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0 else { return false }
        defer { git_config_free(config) }
        var value: Int32 = 0
        return git_config_get_bool(&value, config, "core.fsyncObjectFiles") == 0 && value != 0
    }
}
