import Foundation

/// File-system path helpers.
public enum Paths {
    /// The canonical form of `path`: symlinks resolved when it exists, `.`/`..` removed otherwise.
    public static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return URL(fileURLWithPath: path).standardized.path
    }
}
