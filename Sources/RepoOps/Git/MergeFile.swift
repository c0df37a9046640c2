import CGit2

/// libgit2 must be initialised before `git_merge_file` allocates; init calls are reference-counted.
private let mergeFileLibgit2: Int32 = git_libgit2_init()

/// The outcome of a three-way merge of one file's contents.
public enum FileMergeResult: Hashable, Sendable {
    /// Both sides' changes combined without conflict.
    case merged([UInt8])
    /// The changes overlap, or a side is binary: no automatic result.
    case conflict
}

extension GitRepository {
    /// The id `bytes` would have as a blob, without writing anything.
    public func blobId(of bytes: [UInt8]) throws(GitError) -> Oid {
        var oid = git_oid()
        let code = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        try check(code, "hash blob")
        return Oid(oid)
    }

    /// Merges the change from `ancestor` to `theirs` into `ours`, line by line, in memory
    /// (libgit2's `git_merge_file`, as `git merge-file` does). Binary contents (a NUL byte in
    /// the first 8,000 bytes, git's test) always conflict unless two sides are equal.
    public static func mergeFile(ancestor: [UInt8], ours: [UInt8], theirs: [UInt8]) throws(GitError) -> FileMergeResult {
        if ours == theirs || ancestor == theirs { return .merged(ours) }
        if ancestor == ours { return .merged(theirs) }
        if [ancestor, ours, theirs].contains(where: isBinary) { return .conflict }
        _ = mergeFileLibgit2
        var options = git_merge_file_options()
        try check(git_merge_file_options_init(&options, UInt32(GIT_MERGE_FILE_OPTIONS_VERSION)),
                  "initialise merge-file options")
        var result = git_merge_file_result()
        let code = ancestor.withUnsafeBufferPointer { a in
            ours.withUnsafeBufferPointer { o in
                theirs.withUnsafeBufferPointer { t in
                    var inputs = [a, o, t].map { buffer -> git_merge_file_input in
                        var input = git_merge_file_input()
                        _ = git_merge_file_input_init(&input, UInt32(GIT_MERGE_FILE_INPUT_VERSION))
                        input.ptr = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                        input.size = buffer.count
                        return input
                    }
                    return git_merge_file(&result, &inputs[0], &inputs[1], &inputs[2], &options)
                }
            }
        }
        try check(code, "merge file contents")
        defer { git_merge_file_result_free(&result) }
        guard result.automergeable != 0 else { return .conflict }
        guard result.len > 0, let pointer = result.ptr else { return .merged([]) }
        return .merged(Array(UnsafeRawBufferPointer(start: pointer, count: result.len)))
    }

    /// git's binary test: a NUL byte among the first 8,000 bytes.
    static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.prefix(8000).contains(0) }
}
