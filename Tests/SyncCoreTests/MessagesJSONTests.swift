import Testing
import SyncCore

struct MessagesJSONTests {
    @Test func emptyMessage() {
        #expect(CommitMessage.parse("").json
            == #"{"bugs": [], "reviewers": [], "backout": null, "reverts": null, "is_merge": false, "metadata": {}}"#)
    }

    @Test func ordinaryCommit() {
        let message = CommitMessage.parse("Bug 1234567 - Do a thing. r=alice,#webidl\n\nzeta: 1\nalpha: https://x/y?z=1")
        #expect(message.json == ##"{"bugs": [1234567], "reviewers": ["alice", "#webidl"], "backout": null, "##
            + #""reverts": null, "is_merge": false, "metadata": {"alpha": "https://x/y?z=1", "zeta": "1"}}"#)
    }

    @Test func backoutAndMerge() {
        let backout = CommitMessage.parse("Backed out changesets 6435d5aab611 and 2c5e4bd5e9b7 (bug 5, bug 6)")
        #expect(backout.json == #"{"bugs": [5, 6], "reviewers": [], "#
            + #""backout": {"nodes": ["6435d5aab611", "2c5e4bd5e9b7"], "bugs": [5, 6]}, "#
            + #""reverts": null, "is_merge": false, "metadata": {}}"#)
        #expect(CommitMessage.parse("Merge autoland to mozilla-central a=merge").json
            == #"{"bugs": [], "reviewers": [], "backout": null, "reverts": null, "is_merge": true, "metadata": {}}"#)
    }

    @Test func revert() {
        let message = CommitMessage.parse("Revert \"Bug 7 - x\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.")
        #expect(message.json == #"{"bugs": [7], "reviewers": [], "backout": null, "#
            + #""reverts": {"commits": ["0123456789abcdef0123456789abcdef01234567"], "bugs": [7]}, "#
            + #""is_merge": false, "metadata": {}}"#)
    }

    static let escapes: [(String, String)] = [
        ("plain", #""plain""#),
        ("quote \" here", #""quote \" here""#),
        (#"back\slash"#, #""back\\slash""#),
        ("tab\tnl\ncr\r", #""tab\tnl\ncr\r""#),
        ("\u{08}\u{0C}", #""\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("del\u{7F}", "\"del\u{7F}\""),
        ("slash /", #""slash /""#),
        ("ünïcödé 🎉 \u{2028}", "\"ünïcödé 🎉 \u{2028}\""),
        ("\u{FFFD}", "\"\u{FFFD}\""),
        ("", #""""#),
    ]

    @Test(arguments: escapes)
    func quoting(text: String, expected: String) {
        #expect(MessageJSON.quoted(text) == expected)
    }

    @Test func metadataValuesAreEscaped() {
        let message = CommitMessage(metadata: ["b": "say \"hi\"\\", "a": "ü\u{1}"])
        #expect(message.json == #"{"bugs": [], "reviewers": [], "backout": null, "reverts": null, "#
            + #""is_merge": false, "metadata": {"a": "ü\u0001", "b": "say \"hi\"\\"}}"#)
    }

    @Test func nonASCIIIsWrittenAsUTF8() {
        let json = CommitMessage(reviewers: ["jérôme"]).json
        #expect(Array(json.utf8).contains(0xC3))
        #expect(json.contains("\"jérôme\""))
    }

    @Test func encodeMatchesJSONProperty() {
        let message = CommitMessage.parse("Bug 1 - x r=a")
        #expect(MessageJSON.encode(message) == message.json)
        #expect(!message.json.contains("\n"))
    }
}
