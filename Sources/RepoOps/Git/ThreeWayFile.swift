/// A file as one side of a three-way merge: blob id and mode, plus the bytes when they are at hand
/// (to write them, or to merge them). Equality is by id and mode.
struct FileVersion: Equatable {
    var oid: Oid
    var mode: FileMode
    var data: [UInt8]?

    static func == (a: FileVersion, b: FileVersion) -> Bool { a.oid == b.oid && a.mode == b.mode }
}

/// File-level three-way merging, as `git apply --3way` does it per file; shared by export
/// (Gecko changes onto upstream) and import (upstream changes onto Gecko).
enum ThreeWayFile {
    enum Result: Equatable { case version(FileVersion?), conflict }

    /// The version that combines ancestor → theirs with ancestor → ours; nil means no file.
    static func resolve(_ ancestor: FileVersion?, _ ours: FileVersion?, _ theirs: FileVersion?,
                        git: GitRepository) throws(GitError) -> Result {
        if ours == theirs { return .version(ours) }
        if ours == ancestor { return .version(theirs) }
        guard let ancestor, let ours, let theirs else { return .conflict }
        guard !ours.mode.isTree, ours.mode != .gitlink else { return .conflict }

        let mode: FileMode
        if ours.mode == ancestor.mode { mode = theirs.mode }
        else if theirs.mode == ancestor.mode || theirs.mode == ours.mode { mode = ours.mode }
        else { return .conflict }

        if ours.oid == ancestor.oid { return .version(FileVersion(oid: theirs.oid, mode: mode, data: theirs.data)) }
        if theirs.oid == ancestor.oid || theirs.oid == ours.oid { return .version(FileVersion(oid: ours.oid, mode: mode)) }
        if [ancestor.mode, ours.mode, theirs.mode].contains(.symlink) { return .conflict }
        guard let ancestorData = ancestor.data, let theirData = theirs.data else { return .conflict }
        let ourData = if let data = ours.data { data } else { try git.blob(ours.oid) }
        switch try GitRepository.mergeFile(ancestor: ancestorData, ours: ourData, theirs: theirData) {
        case .conflict:
            return .conflict
        case .merged(let bytes):
            return .version(FileVersion(oid: try git.blobId(of: bytes), mode: mode, data: bytes))
        }
    }
}
