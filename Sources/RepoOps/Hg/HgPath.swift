/// A repository-relative file path as Mercurial stores it: raw bytes, not necessarily UTF-8.
/// The same type as git's paths, so paths move between the two without conversion.
public typealias HgPath = GitPath

extension GitPath {
    /// A `path:` pattern naming exactly this path, so glob characters in it are taken literally.
    var pattern: [UInt8] { Array("path:".utf8) + bytes }
}
