import CGit2

/// libgit2 must be initialised before `git_patch_from_buffers` allocates; init calls are reference-counted.
private let bufferDiffLibgit2: Int32 = git_libgit2_init()

extension GitRepository {
    /// The unified diff (`git diff` format, `a/` and `b/` prefixes) turning `old` into `new` at `path`;
    /// nil contents are an absent file (`/dev/null`). Empty when they are equal.
    public static func unifiedDiff(path: String, old: [UInt8]?, new: [UInt8]?) throws(GitError) -> String {
        _ = bufferDiffLibgit2
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "initialise diff options")
        var patch: OpaquePointer?
        let code = path.withCString { name in
            (old ?? []).withUnsafeBufferPointer { a in
                (new ?? []).withUnsafeBufferPointer { b in
                    git_patch_from_buffers(&patch, old == nil ? nil : a.baseAddress, a.count, name,
                                           new == nil ? nil : b.baseAddress, b.count, name, &options)
                }
            }
        }
        try check(code, "diff '\(path)'")
        defer { git_patch_free(patch) }
        var buffer = git_buf()
        try check(git_patch_to_buf(&buffer, patch), "print the diff of '\(path)'")
        defer { git_buf_dispose(&buffer) }
        guard let pointer = buffer.ptr, buffer.size > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
    }
}
