import Foundation
import TestSupport

/// The autoland tree and the developer's git clone read the same way for both kinds of Gecko.
extension AutolandLandingWorld {
    /// Commits `files` in the developer's git clone; returns the commit.
    @discardableResult
    func commitInClone(_ files: [String: String], message: String, author: String = "Test <test@example.com>",
                       date: String = "1700000100 +0000") throws -> String {
        for (path, contents) in files { try writeFile(world.geckoClone + "/" + path, contents) }
        try git(["add", "-A"])
        let (name, email) = (String(author.prefix { $0 != "<" }.dropLast()), String(author.drop { $0 != "<" }.dropFirst().dropLast()))
        try git(["commit", "-q", "-m", message], env: ["GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date])
        return try git(["rev-parse", "HEAD"])
    }

    /// A commit of the autoland tree, whichever kind (git: the branch's tip for "tip").
    struct TreeCommit: Equatable {
        var node: String, author: String, message: String
        /// Mercurial's `hgdate`: seconds and the offset west of UTC.
        var date: String
        var parent: String
        var files: [String]
    }

    func autolandCommit(_ revision: String = "tip") throws -> TreeCommit {
        guard geckoKind == .git else {
            let fields = try autoland("{node}\n{author}\n{date|hgdate}\n{p1.node}\n{join(files, ' ')}\n{desc}", revision).components(separatedBy: "\n")
            return TreeCommit(node: fields[0], author: fields[1], message: fields[5...].joined(separator: "\n"), date: fields[2],
                              parent: fields[3], files: fields[4].split(separator: " ").map(String.init))
        }
        let rev = revision == "tip" ? "refs/heads/autoland" : revision
        let fields = try sh("git", ["--git-dir", world.autoland, "log", "-1", "--date=raw", "--format=%H%n%an <%ae>%n%ad%n%P%n%B", rev])
            .trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        let raw = fields[2].split(separator: " ")
        let offset = Int(raw[1])!
        let west = -((offset / 100) * 3600 + (offset % 100) * 60)
        let files = try sh("git", ["--git-dir", world.autoland, "diff-tree", "--no-commit-id", "--name-only", "-r", fields[0]])
        return TreeCommit(node: fields[0], author: fields[1], message: fields[4...].joined(separator: "\n"), date: "\(raw[0]) \(west)",
                          parent: String(fields[3].prefix(40)), files: files.split(separator: "\n").map(String.init))
    }

    /// The file at autoland's tip.
    func autolandFile(_ path: String) throws -> String {
        geckoKind == .git ? try sh("git", ["--git-dir", world.autoland, "show", "refs/heads/autoland:" + path])
            : try sh("hg", ["cat", "-r", "tip", path], in: world.autoland)
    }

    /// How many commits autoland has.
    func autolandCount() throws -> Int {
        geckoKind == .git ? Int(try sh("git", ["--git-dir", world.autoland, "rev-list", "--count", "refs/heads/autoland"])
                                    .trimmingCharacters(in: .whitespacesAndNewlines))!
            : Int(try autoland("{rev}"))! + 1
    }
}
