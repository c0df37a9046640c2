import Foundation

/// File-system path helpers.
enum Paths {
    /// The canonical form of `path`: symlinks resolved when it exists, `.`/`..` removed otherwise.
    static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return URL(fileURLWithPath: path).standardized.path
    }
}
