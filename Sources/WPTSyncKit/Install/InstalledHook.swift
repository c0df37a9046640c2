import Foundation
import HookIntake
import RepoOps

/// What `install-hooks` left in a repository: its hook configuration file and the variables wptsync's
/// block there sets (`WPTSYNC_HOOK`, `WPTSYNC_CONFIG`, `WPTSYNC_SPOOL`), or nil when there is no block.
public struct InstalledHook: Sendable, Equatable {
    /// The repository's `.hg/hgrc` or git `post-receive` hook.
    public var file: String
    /// The block's variables; nil when the file has no wptsync block.
    public var variables: [String: String]?

    /// What is installed in the Mercurial or git repository at `repository`; nil when it is neither.
    public static func read(repository: String) -> InstalledHook? {
        let path = Paths.canonical(repository)
        let file: String
        if FileManager.default.fileExists(atPath: "\(path)/.hg") {
            file = "\(path)/.hg/hgrc"
        } else if let hooks = HookInstaller.gitHooksDirectory(path) {
            file = "\(hooks)/post-receive"
        } else {
            return nil
        }
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return InstalledHook(file: file, variables: HookInstaller.blockRange(in: text).map { variables(in: String(text[$0])) })
    }

    /// The `NAME=value` shell words of the block's lines, unquoted as `Paths.shellWord` quotes them.
    static func variables(in block: String) -> [String: String] {
        var variables: [String: String] = [:]
        for line in block.split(separator: "\n") where !line.hasPrefix("#") {
            for word in words(String(line)) {
                guard let equals = word.firstIndex(of: "="), word[..<equals].hasPrefix("WPTSYNC_") else { continue }
                variables[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
        }
        return variables
    }

    /// Splits `line` into shell words, undoing single quotes and `'\''`.
    private static func words(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case "'": quoted.toggle(); inWord = true
            case "\\" where !quoted: if let next = characters.next() { word.append(next) }; inWord = true
            case " " where !quoted, "\t" where !quoted:
                if inWord { words.append(word) }
                word = ""; inWord = false
            default: word.append(character); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
