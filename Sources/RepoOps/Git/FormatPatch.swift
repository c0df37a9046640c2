import CGit2

extension GitRepository {
    /// Commit `oid` as `git format-patch` writes it: an mbox message (`From <id> Mon Sep 17 …`,
    /// `From:`, `Date:`, `Subject: [PATCH] …`, the rest of the message, a diffstat) and the diff,
    /// binary files included in full. This is what Lando's `add-commit-base64` action takes.
    /// The commit must not be a merge.
    public func formatPatch(_ oid: Oid) throws(GitError) -> [UInt8] {
        var raw = oid.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &raw), "read commit \(oid)")
        defer { git_commit_free(commit) }
        // GIT_EMAIL_CREATE_OPTIONS_INIT, which Swift cannot import: binary diffs, 3 lines of context.
        var options = git_email_create_options()
        options.version = 1
        options.flags = GIT_EMAIL_CREATE_DEFAULT.rawValue
        try check(git_diff_options_init(&options.diff_opts, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        options.diff_opts.flags = GIT_DIFF_SHOW_BINARY.rawValue
        try check(git_diff_find_options_init(&options.diff_find_opts, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "prepare rename options")
        var buffer = git_buf()
        try check(git_email_create_from_commit(&buffer, commit, &options), "format commit \(oid) as a patch")
        defer { git_buf_dispose(&buffer) }
        guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
    }
}
