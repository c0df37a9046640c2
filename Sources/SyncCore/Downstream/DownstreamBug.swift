import Foundation

/// The Gecko bug of a downstream sync: the fields it is filed with, and the text of its comments.
public struct DownstreamBug: Sendable, Equatable {
    public var summary: String
    public var description: String
    public var whiteboard: String
    /// The pull request's page.
    public var url: String
    public var component: BugComponent
    public var type: String { "task" }

    public static let whiteboardTag = "[wptsync downstream]"
    /// Bugzilla's limit on a summary, in characters.
    public static let summaryLimit = 255
    /// How much of the PR's body the description quotes, in bytes.
    public static let quotedBodyLimit = 16 * 1024

    /// The bug of PR `number`, titled `title`, at `url`, with `body` (its description), opened by
    /// `author`, owned by `component`.
    public init(number: Int, title: String, url: String, body: String, author: String?, component: BugComponent) {
        summary = Self.summary(number: number, title: title)
        description = Self.description(number: number, url: url, body: body, author: author)
        whiteboard = Self.whiteboardTag
        self.url = url
        self.component = component
    }

    /// `[wpt-sync] Sync PR <n> - <title>`, at most 255 characters (Unicode scalars, as Bugzilla
    /// counts): the title on one line, without control characters, cut between grapheme clusters
    /// and ended with `…` when too long.
    public static func summary(number: Int, title: String) -> String {
        let title = oneLine(title)
        let full = "[wpt-sync] Sync PR \(number)" + (title.isEmpty ? "" : " - " + title)
        guard full.unicodeScalars.count > summaryLimit else { return full }
        var cut = "", count = 0
        for character in full {
            let size = character.unicodeScalars.count
            if count + size > summaryLimit - 1 { break }
            cut.append(character); count += size
        }
        while cut.last?.isWhitespace == true { cut.removeLast() }
        return cut + "…"
    }

    /// Says what the bug is for, then quotes the PR's body (`> ` before each line), cleaned of
    /// control characters and cut at `quotedBodyLimit` bytes.
    public static func description(number: Int, url: String, body: String, author: String?) -> String {
        let cleaned = String(decoding: ControlCharacters.cleanedMessage(Array(body.utf8), limit: quotedBodyLimit), as: UTF8.self)
        let trimmed = cleaned.trimmingCharacters(in: .newlines)
        var text = "Sync web-platform-tests PR \(number) into mozilla-central: this bug follows it until its changes land in Gecko.\n\n"
        text += "PR: \(oneLine(url))\n"
        guard !trimmed.trimmingCharacters(in: .whitespaces).isEmpty else { return text + "\nThe PR has no description.\n" }
        text += "\n\(author.map { oneLine($0) + " wrote" } ?? "The PR says"):\n"
        for line in trimmed.split(separator: "\n", omittingEmptySubsequences: false) {
            text += line.isEmpty ? ">\n" : "> \(line)\n"
        }
        return text
    }

    /// The text of the comment for `milestone`; `treeherder` is Treeherder's address; `results`
    /// (for `.results`) what the run's reports say.
    public static func comment(_ milestone: DownstreamComment, treeherder: String = "https://treeherder.mozilla.org",
                               results: TryResultsSummary? = nil) -> String {
        func link(_ revision: String) -> String {
            var base = treeherder
            while base.hasSuffix("/") { base.removeLast() }
            return "\(base)/jobs?repo=try&revision=\(revision)"
        }
        return switch milestone {
        case .tryPushed(let revision): "Try push for the PR's changes: \(link(revision))"
        case .results(let revision):
            "The try run's results are in: \(link(revision))" + (results.map { "\n\n" + $0.text } ?? "")
        case .infraFailure(let revision):
            "The try run failed for infrastructure reasons twice (\(link(revision))). The sync waits for a person: `wptsync retry-try` pushes again."
        case .breaksRunner(let revision):
            "This PR changes wpt's harness or tools, and the infrastructure tests fail with it: it breaks the test runner (\(link(revision))). Its landing waits for a person."
        case .blocked(let reason, _):
            "The PR's changes cannot be tried: \(reason). The sync waits for a person: once mozilla-central or the PR is fixed, `wptsync continue downstream` goes on (a new head of the PR is tried by itself)."
        }
    }

    /// `text` on one line: line breaks and tabs become spaces, other control characters go, runs
    /// of spaces collapse, and the ends are trimmed.
    static func oneLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let blank = scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == " "
            if blank {
                if let last = out.last, last != " " { out.append(" ") }
            } else if !ControlCharacters.isControl(scalar) {
                out.append(scalar)
            }
        }
        return String(out).trimmingCharacters(in: .whitespaces)
    }
}
