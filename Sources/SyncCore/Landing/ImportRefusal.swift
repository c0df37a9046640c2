/// Why an import refuses an upstream file: upstream is not trusted, and a refused file becomes a
/// conflict of the landing (`needs-fixup`), named with the reason, until a person settles it by
/// keeping Gecko's side (`continue landing --take gecko`).
public enum ImportRefusal: String, Sendable, CaseIterable {
    /// Mercurial cannot hold the path (`.hg`, `..`, `.git`, line breaks).
    case unfitPath
    /// The file name holds control characters (ESC, BEL, DEL, C1…): they would reach Gecko's
    /// history and every terminal that prints it.
    case controlCharacters
    /// A symlink whose target is absolute or leaves the wpt tree: Gecko's checkouts, and the
    /// landing command, would follow it out of the tree.
    case symlinkLeavingTree

    /// Follows the path in the landing's conflict list.
    public var marker: String {
        switch self {
        case .unfitPath: " (a path Gecko cannot hold)"
        case .controlCharacters: " (a file name with control characters)"
        case .symlinkLeavingTree: " (a symlink leading out of the wpt tree)"
        }
    }

    /// Why the upstream file at `path` (relative to the wpt root, known to be fit for Mercurial)
    /// is refused, or nil when it may be imported. `symlinkTarget` is the link's target when the
    /// new version is a symlink.
    public static func check(path: [UInt8], symlinkTarget: [UInt8]?) -> ImportRefusal? {
        if ControlCharacters.found(in: path) { return .controlCharacters }
        if let symlinkTarget, !staysInTree(link: path, target: symlinkTarget) { return .symlinkLeavingTree }
        return nil
    }

    /// Whether a symlink at `link` (relative to the tree's root) pointing at `target` stays inside
    /// the tree, resolved lexically from the link's folder: not absolute, not empty, no NUL, its
    /// `..` components climb no higher than the root, and all come first. (`a/../..` could climb
    /// out through a link `a` to `.`; the link's own folders are real folders, so leading `..`
    /// are exact, and names after them only descend or follow links checked the same way.)
    public static func staysInTree(link: [UInt8], target: [UInt8]) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard let first = target.first, first != slash, !target.contains(0) else { return false }
        var climb = link.split(separator: slash).count - 1
        var descended = false
        for component in target.split(separator: slash) where !component.elementsEqual([dot]) {
            if component.elementsEqual([dot, dot]) {
                climb -= 1
                if climb < 0 || descended { return false }
            } else {
                descended = true
            }
        }
        return true
    }

    /// The path of an entry of a landing's conflict list, without the refusal's marker.
    public static func path(ofConflictEntry entry: String) -> String {
        of(conflictEntry: entry).map { String(entry.dropLast($0.marker.count)) } ?? entry
    }

    /// The refusal an entry of a landing's conflict list carries, nil for a file that did not merge.
    public static func of(conflictEntry entry: String) -> ImportRefusal? {
        allCases.first { entry.hasSuffix($0.marker) }
    }
}
