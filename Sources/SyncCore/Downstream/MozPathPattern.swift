/// mozpack's path patterns (`mozpack.path.match`), which moz.build `Files(...)` uses: `*` matches
/// any run of characters within one path segment, a whole `**` segment any number of folders
/// (none included), and a pattern matching a folder matches every path beneath it. `?` and `[`
/// are plain characters, unlike in shell globs, which is why this is not `fnmatch`.
public enum MozPathPattern {
    /// Whether `path` (segments separated by `/`) matches `pattern`. The empty pattern matches
    /// every path.
    public static func matches(_ path: String, pattern: String) -> Bool {
        if pattern.isEmpty { return true }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
        return matches(segments[...], parts[...])
    }

    private static let doubleStar = Array("**".utf8)

    private static func matches(_ path: ArraySlice<[UInt8]>, _ pattern: ArraySlice<[UInt8]>) -> Bool {
        guard let part = pattern.first else { return true }
        if part == doubleStar {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return true }
            return path.indices.contains { matches(path[$0...], rest) }
        }
        guard let segment = path.first, matchesSegment(segment[...], part[...]) else { return false }
        return matches(path.dropFirst(), pattern.dropFirst())
    }

    /// `*` matches any run of bytes (the segment holds no `/`); everything else matches itself.
    private static func matchesSegment(_ text: ArraySlice<UInt8>, _ pattern: ArraySlice<UInt8>) -> Bool {
        guard let star = pattern.firstIndex(of: UInt8(ascii: "*")) else { return text.elementsEqual(pattern) }
        let head = pattern[..<star], tail = pattern[(star + 1)...]
        guard text.starts(with: head) else { return false }
        let rest = text.dropFirst(head.count)
        return (rest.startIndex...rest.endIndex).contains { matchesSegment(rest[$0...], tail) }
    }
}
