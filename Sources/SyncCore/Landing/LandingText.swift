/// The messages and the sync-point file of the Gecko commits an import writes, in the production
/// service's format (so its tools and people read them the same way).
public enum LandingText {
    /// The commit of one upstream PR: `Bug <bug> [wpt PR <n>] - <title>, a=testonly`, the upstream
    /// messages (without control characters but line feeds and tabs, each cut at `messageLimit`
    /// bytes), then `wpt-pr` and `wpt-commits` metadata.
    public static func pullRequestCommit(bug: Int, pullRequest: Int, title: String, commits: [(sha: String, message: [UInt8])]) -> [UInt8] {
        let summary = "Bug \(bug) [wpt PR \(pullRequest)] - \(oneLine(title)), a=testonly"
        return body(summary: summary, commits: commits, metadata: ["wpt-pr: \(pullRequest)"])
    }

    /// The commit that follows a PR's: its expectation metadata from its try results.
    public static func metadataCommit(bug: Int, pullRequest: Int) -> [UInt8] {
        Array("Bug \(bug) [wpt PR \(pullRequest)] - Update wpt metadata, a=testonly\n\nwpt-pr: \(pullRequest)\nwpt-type: metadata\n".utf8)
    }

    /// The commit of one upstream commit that came from no PR.
    public static func commitWithoutPullRequest(bug: Int, sha: String, message: [UInt8]) -> [UInt8] {
        let subject = String(decoding: message.prefix { $0 != 0x0a }, as: UTF8.self)
        let summary = "Bug \(bug) [wpt commit \(sha.prefix(12))] - \(oneLine(subject)), a=testonly"
        return body(summary: summary, commits: [(sha, message)], metadata: [])
    }

    /// The Mercurial user of an imported commit, `Name <email>`, from the upstream author: each part
    /// on one line without control characters.
    public static func user(name: String, email: String) -> String {
        "\(oneLine(name)) <\(oneLine(email))>"
    }

    /// The final commit of a landing, which also writes the sync-point file.
    public static func landingCommit(bug: Int, head: String) -> [UInt8] {
        Array(("Bug \(bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly\n\n"
               + landingCommitMarkers(head: head).joined(separator: "\n") + "\n").utf8)
    }

    /// The metadata lines of the landing commit to `head`, each on a line of its own.
    public static func landingCommitMarkers(head: String) -> [String] { ["wpt-head: \(head)", "wpt-type: landing"] }

    /// `testing/web-platform/meta/mozilla-sync`: the Gecko revision the landing was built on, the
    /// upstream commit Gecko's wpt matches with every unit before it imported, and a `landed:` line
    /// per unit imported past it (out of order, while an earlier one is held back) with its head.
    public static func syncPointFile(local: String, upstream: String, landed: [String] = []) -> [UInt8] {
        Array(("local: \(local)\nupstream: \(upstream)\n" + landed.map { "landed: \($0)\n" }.joined()).utf8)
    }

    /// The heads of the units a sync-point file records as imported past its `upstream:` commit.
    public static func landed(inSyncPointFile bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("landed:") }.compactMap { line in
            let sha = line.dropFirst("landed:".count).trimmingCharacters()
            return sha.count == 40 && sha.allSatisfy(\.isHexDigit) ? sha.lowercased() : nil
        }
    }

    /// The upstream commit named by a sync-point file, or nil when it names none.
    public static func upstream(inSyncPointFile bytes: [UInt8]) -> String? {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("upstream:") {
            let sha = line.dropFirst("upstream:".count).trimmingCharacters()
            if sha.count == 40, sha.allSatisfy(\.isHexDigit) { return sha.lowercased() }
        }
        return nil
    }

    private static func body(summary: String, commits: [(sha: String, message: [UInt8])], metadata: [String]) -> [UInt8] {
        var text = Array((summary + "\n\nAutomatic update from web-platform-tests\n").utf8)
        for commit in commits {
            var message = ControlCharacters.cleanedMessage(commit.message, limit: messageLimit)
            while message.last == 0x0a || message.last == 0x20 { message.removeLast() }
            text += message + Array("\n\n--\n".utf8)
        }
        let lines = metadata + ["wpt-commits: " + commits.map(\.sha).joined(separator: ", ")]
        return text + Array(("\n" + lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The most bytes of one upstream message a commit copies (after control characters are
    /// stripped); a longer one is cut and ends with `ControlCharacters.truncationMarker`.
    public static let messageLimit = 64 * 1024

    /// One line of at most 200 characters without control characters (titles come from GitHub):
    /// line breaks and tabs become spaces, other control characters are dropped.
    static func oneLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if "\n\r\t\u{85}\u{2028}\u{2029}".unicodeScalars.contains(scalar) {
                scalars.append(" ")
            } else if !ControlCharacters.isControl(scalar) {
                scalars.append(scalar)
            }
        }
        let cleaned = String(scalars).trimmingWhitespace()
        return cleaned.count > 200 ? String(cleaned.prefix(199)) + "…" : cleaned
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(self).trimmingWhitespace() }
}
