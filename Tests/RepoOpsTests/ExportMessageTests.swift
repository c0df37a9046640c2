import Testing
import RepoOps
import SyncCore
import TestSupport

private let node = String(repeating: "ab", count: 20)
private let url = "https://bugzilla.mozilla.org/show_bug.cgi?id="

private func message(_ description: String) -> String {
    String(decoding: UpstreamExporter.message(for: Array(description.utf8), node: node, bugzillaURL: url), as: UTF8.self)
}

@Suite struct ExportMessageTests {
    @Test func summaryOnlyWithReviewers() {
        #expect(message("Bug 1 - Fix it. r=a,b a=testonly") == """
            Fix it.

            bugzilla-url: \(url)1
            gecko-commit: \(node)
            gecko-reviewers: a, b

            """)
    }

    /// An export from git Gecko whose hg changeset Lando's commit map knows names both, and the
    /// landing reads the hg one back.
    @Test func theHgChangesetOfAGitCommitFollowsItsNode() {
        let hg = String(repeating: "cd", count: 20)
        let text = UpstreamExporter.message(for: Array("Bug 1 - Fix it. r=a".utf8), node: node, hgNode: hg, bugzillaURL: url)
        #expect(String(decoding: text, as: UTF8.self).hasSuffix("gecko-commit: \(node)\ngecko-commit-hg: \(hg)\ngecko-reviewers: a\n"))
        #expect(PullRequestNumbers.geckoNode(in: text) == node && PullRequestNumbers.geckoHgNode(in: text) == hg)
        #expect(PullRequestNumbers.geckoHgNode(in: Array("x\n\ngecko-commit-hg: 12ab\n".utf8)) == nil, "only a full node")
    }

    @Test func noBugAndNoReviewers() {
        #expect(message("Tidy up\n\nbody\n\n") == "Tidy up\n\nbody\n\ngecko-commit: \(node)\n")
    }

    @Test func emptySummaryFallsBackToTheFirstLine() {
        #expect(message("Bug 5 - r=a").hasPrefix("Bug 5 - r=a\n\nbugzilla-url: \(url)5\n"))
    }

    @Test func authorsAndDates() {
        let date = HgDate(seconds: 100, offset: -19800)  // UTC+05:30
        #expect(UpstreamExporter.signature(author: Array("A B <a@b.c>".utf8), date: date)
                == GitSignature(name: "A B", email: "a@b.c", time: 100, offsetMinutes: 330))
        #expect(UpstreamExporter.signature(author: Array("just a name".utf8), date: HgDate(seconds: 1, offset: 18000))
                == GitSignature(name: "just a name", email: "unknown", time: 1, offsetMinutes: -300))
        #expect(UpstreamExporter.signature(author: Array("<only@mail>".utf8), date: date).name == "only@mail")
        #expect(UpstreamExporter.signature(author: Array("We<ird> Name <x@y> extra".utf8), date: date)
                == GitSignature(name: "Weird Name", email: "x@y", time: 100, offsetMinutes: 330))
    }
}
