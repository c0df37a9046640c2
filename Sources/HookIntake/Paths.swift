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

    /// `text` as one shell word, quoted only when it needs to be.
    public static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) || "/._-:+=@,".utf8.contains(byte)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
