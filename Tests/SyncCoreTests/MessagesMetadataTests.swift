import Testing
import SyncCore

struct MessagesMetadataTests {
    static let mergeCases: [(String, Bool)] = [
        ("Merge autoland to mozilla-central a=merge", true),
        ("Merge autoland to mozilla-central. a=merge", true),
        ("merge m-c to autoland", true),
        ("MERGE inbound to central", true),
        ("Merging mozilla-central into autoland", true),
        ("Merged upstream changes", true),
        ("Automated merge of beta", true),
        ("automated  merge", true),
        ("  Merge autoland to mozilla-central", true),
        ("Merge", true),
        ("Merge: fix", true),
        ("Mergeable state check", false),
        ("Merger of the two modules", false),
        ("Bug 1 - Merge two functions r=a", false),
        ("Automated update of wpt", false),
        ("Automatedmerge", false),
        ("", false),
        ("Bug 1 - foo\n\nMerge autoland to mozilla-central", false),
    ]

    @Test(arguments: mergeCases)
    func merge(message: String, expected: Bool) {
        #expect(CommitMessage.parse(message).isMerge == expected)
    }

    static let metadataCases: [(String, [String: String])] = [
        ("Bug 1 - foo\n\nwpt-pr: 12345", ["wpt-pr": "12345"]),
        ("Bug 1 - foo\n\nwpt-commits: abc, def", ["wpt-commits": "abc, def"]),
        ("Bug 1 - foo\n\nbugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=1",
         ["bugzilla-url": "https://bugzilla.mozilla.org/show_bug.cgi?id=1"]),
        ("Bug 1 - foo\n\ngecko-commit: 6435d5aab6110123456789abcdef0123456789ab\ngecko-reviewers: alice, bob",
         ["gecko-commit": "6435d5aab6110123456789abcdef0123456789ab", "gecko-reviewers": "alice, bob"]),
        ("x\nwpt-pr: 1\nwpt-pr: 2", ["wpt-pr": "2"]),
        ("x\nwpt-pr: 1\nwpt-pr: ", ["wpt-pr": "1"]),
        ("x\nwpt-head: abc   \t", ["wpt-head": "abc"]),
        ("x\nwpt-type:   landing", ["wpt-type": "landing"]),
        ("x\nkey2: a: b: c", ["key2": "a: b: c"]),
        ("x\nnote: ünïcödé ✓", ["note": "ünïcödé ✓"]),
        ("x\r\nwpt-pr: 7\r\nwpt-head: abc\r\n", ["wpt-pr": "7", "wpt-head": "abc"]),
        // Not metadata.
        ("wpt-pr: 1", [:]),
        ("css: fix typo\n\nbody", [:]),
        ("x\nDifferential Revision: https://phabricator.services.mozilla.com/D1", [:]),
        ("x\nChange-Id: I4e8f0e6d3b9c", [:]),
        ("x\nBug: 1084890", [:]),
        ("x\nWpt-Pr: 1", [:]),
        ("x\n wpt-pr: 1", [:]),
        ("x\nwpt-pr:1", [:]),
        ("x\nwpt pr: 1", [:]),
        ("x\nwpt_pr: 1", [:]),
        ("x\n-key: 1", [:]),
        ("x\n1key: 1", [:]),
        ("x\nwpt-pr:", [:]),
        ("x\nSee: https://example.com", [:]),
    ]

    @Test(arguments: metadataCases)
    func metadata(message: String, expected: [String: String]) {
        #expect(CommitMessage.parse(message).metadata == expected)
    }

    @Test func importCommit() {
        let message = CommitMessage.parse("""
            Bug 1638286 [wpt PR 23602] - [css-grid] Add tests for subgrid, a=testonly

            Automatic update from web-platform-tests
            [css-grid] Add tests for subgrid

            Bug: 1084890
            Change-Id: I4e8f0e6d3b9c
            Reviewed-by: Some One <someone@chromium.org>
            Cr-Commit-Position: refs/heads/master@{#771234}

            --

            wpt-commits: 2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8, 3c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8
            wpt-pr: 23602
            """)
        #expect(message == CommitMessage(
            summary: "Bug 1638286 [wpt PR 23602] - [css-grid] Add tests for subgrid, a=testonly",
            bugs: [1638286],
            metadata: [
                "wpt-commits": "2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8, 3c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8",
                "wpt-pr": "23602",
            ]))
    }

    @Test func landingCommit() {
        let message = CommitMessage.parse("""
            Bug 1640000 - [wpt-sync] Update web-platform-tests to 2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8, a=testonly

            MANUAL PUSH: wpt sync bot

            wpt-head: 2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8
            wpt-type: landing
            """)
        #expect(message.bugs == [1640000])
        #expect(message.reviewers.isEmpty)
        #expect(message.metadata == ["wpt-head": "2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8", "wpt-type": "landing"])
        #expect(!message.isMerge && message.backout == nil && message.reverts == nil)
    }

    @Test func exportedCommitRoundTrip() {
        let message = CommitMessage.parse("""
            Fix the frobnicator.

            Differential Revision: https://phabricator.services.mozilla.com/D12345

            bugzilla-url: https://bugzilla.mozilla.org/show_bug.cgi?id=1234567
            gecko-commit: 6435d5aab6110123456789abcdef0123456789ab
            gecko-reviewers: jgraham, whimboo
            """)
        #expect(message.bugs == [])
        #expect(message.metadata == [
            "bugzilla-url": "https://bugzilla.mozilla.org/show_bug.cgi?id=1234567",
            "gecko-commit": "6435d5aab6110123456789abcdef0123456789ab",
            "gecko-reviewers": "jgraham, whimboo",
        ])
    }

    @Test func emptyMessage() {
        #expect(CommitMessage.parse("") == CommitMessage())
        #expect(CommitMessage.parse(bytes: []) == CommitMessage())
        #expect(CommitMessage.parse("\n\n\r\n") == CommitMessage())
    }

    @Test func lineEndingsAgree() {
        let lf = "Backed out changeset 6435d5aab611 (bug 1) r=a\n\nBacked out changeset 2c5e4bd5e9b7 (bug 2)\nwpt-pr: 3\n"
        let crlf = CommitMessage.parse(lf.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"))
        let cr = CommitMessage.parse(lf.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r"))
        let expected = CommitMessage.parse(lf)
        #expect(expected.backout?.nodes == ["6435d5aab611", "2c5e4bd5e9b7"])
        #expect(expected.metadata == ["wpt-pr": "3"])
        #expect(crlf == expected)
        #expect(cr == expected)
    }

    @Test func invalidUTF8IsReplaced() {
        var bytes = Array("Bug 5 - caf".utf8) + [0xE9] + Array(" r=alice\n\nnote: x".utf8) + [0xFF, 0xFE]
        bytes += Array("\nwpt-pr: 9".utf8)
        let message = CommitMessage.parse(bytes: bytes)
        #expect(message.summary == "Bug 5 - caf\u{FFFD} r=alice")
        #expect(message.bugs == [5])
        #expect(message.reviewers == ["alice"])
        #expect(message.metadata == ["note": "x\u{FFFD}\u{FFFD}", "wpt-pr": "9"])
    }

    @Test func bytesAndStringAgree() {
        let text = "Bug 1 - Ünïcödé 🎉 r=alice\n\nwpt-pr: 2"
        #expect(CommitMessage.parse(bytes: Array(text.utf8)) == CommitMessage.parse(text))
        #expect(CommitMessage.parse(text).summary == "Bug 1 - Ünïcödé 🎉 r=alice")
    }

    @Test func byteOrderMarkIgnored() {
        let message = CommitMessage.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("Merge a to b".utf8))
        #expect(message.isMerge)
        #expect(message.summary == "Merge a to b")
    }

    @Test func nulAndControlCharactersDoNotBreakParsing() {
        let message = CommitMessage.parse("Bug 1 -\u{0} nul\u{7} r=a\nwpt-pr: \u{1}x")
        #expect(message.bugs == [1])
        #expect(message.reviewers == ["a"])
        #expect(message.metadata == ["wpt-pr": "\u{1}x"])
    }
}
