import SyncCore

/// A stored metadata update moved onto the metadata as it stands now: each file's change (`before` →
/// `after`) merged three-way into the current file, line by line, as the import merges files.
public enum MetadataRebase {
    public enum Result: Sendable, Equatable {
        /// The file's new text; nil: no file.
        case file(String?)
        /// The update and Gecko's own change to the file overlap.
        case conflict
    }

    /// `change` applied onto `current` (nil: no file).
    public static func rebase(_ change: DownstreamMetadata.File, onto current: String?) -> Result {
        if current == change.before || current == change.after { return .file(change.after) }
        if change.before == change.after { return .file(current) }
        guard let before = change.before, let after = change.after, let current else { return .conflict }
        switch try? GitRepository.mergeFile(ancestor: Array(before.utf8), ours: Array(current.utf8), theirs: Array(after.utf8)) {
        case .merged(let bytes)?: return .file(String(decoding: bytes, as: UTF8.self))
        case .conflict?, nil: return .conflict
        }
    }

    /// The files of `metadata` rebased onto `current` (by path; a missing path is no file): the
    /// files that change, nil for a removal, and the paths that conflict (left as they are).
    public static func rebase(_ metadata: DownstreamMetadata, onto current: [String: String])
        -> (files: [String: String?], conflicts: [String]) {
        var files: [String: String?] = [:]
        var conflicts: [String] = []
        for (path, change) in metadata.files.sorted(by: { $0.key < $1.key }) {
            switch rebase(change, onto: current[path]) {
            case .file(let text) where text != current[path]: files[path] = .some(text)
            case .file: break
            case .conflict: conflicts.append(path)
            }
        }
        return (files, conflicts)
    }
}
