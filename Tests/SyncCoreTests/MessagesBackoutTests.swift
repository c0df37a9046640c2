import Testing
import SyncCore

struct MessagesBackoutTests {
    static let full = "6435d5aab6110123456789abcdef0123456789ab"

    static let cases: [(String, Backout)] = [
        ("Backed out changeset 6435d5aab611 (bug 858680) for causing mochitest failures. CLOSED TREE",
         Backout(nodes: ["6435d5aab611"], bugs: [858680])),
        ("Backout of 6435d5aab611", Backout(nodes: ["6435d5aab611"], bugs: [])),
        ("Backout revision 6435d5aab611 (bug 1)", Backout(nodes: ["6435d5aab611"], bugs: [1])),
        ("Backout 6435d5aab611 for bustage", Backout(nodes: ["6435d5aab611"], bugs: [])),
        ("Back out changeset 6435d5aab611 (bug 2)", Backout(nodes: ["6435d5aab611"], bugs: [2])),
        ("BACKED OUT CHANGESET 6435D5AAB611 (BUG 3)", Backout(nodes: ["6435d5aab611"], bugs: [3])),
        ("backout 6435d5aab611: it broke things", Backout(nodes: ["6435d5aab611"], bugs: [])),
        ("  Backed out changeset 6435d5aab611", Backout(nodes: ["6435d5aab611"], bugs: [])),
        ("Backed out changeset \(full) (bug 4)", Backout(nodes: [full], bugs: [4])),
        ("Backed out changesets 6435d5aab611 and 2c5e4bd5e9b7 (bug 5) for leaks",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7"], bugs: [5])),
        ("Backed out changesets 6435d5aab611, 2c5e4bd5e9b7 and 81d9e1ad49c5 (bug 6)",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7", "81d9e1ad49c5"], bugs: [6])),
        ("Backed out changesets 6435d5aab611, 2c5e4bd5e9b7, and 81d9e1ad49c5 (bug 6, bug 7)",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7", "81d9e1ad49c5"], bugs: [6, 7])),
        ("Backed out changeset 6435d5aab611 and changeset 2c5e4bd5e9b7",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7"], bugs: [])),
        ("Backout 6435d5aab611 & 2c5e4bd5e9b7", Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7"], bugs: [])),
        ("Backed out changeset 6435d5aab611 and 6435d5aab611", Backout(nodes: ["6435d5aab611"], bugs: [])),
        ("""
         Backed out 2 changesets (bug 1683430) for causing bustages on nsHttpChannel.cpp. CLOSED TREE

         Backed out changeset 0e8fb9ef3b0f (bug 1683430)
         Backed out changeset 0b8e4e4d1b5b (bug 1683430)
         """, Backout(nodes: ["0e8fb9ef3b0f", "0b8e4e4d1b5b"], bugs: [1683430])),
        ("""
         Backed out 3 changesets (bug 100, bug 200) for failures. a=backout

         Backed out changeset 111111111111 (bug 200)
         Backed out changeset 222222222222 (bug 100)
         """, Backout(nodes: ["111111111111", "222222222222"], bugs: [100, 200])),
        ("""
         Backed out 4 changesets (bug 9) for bustage

         Backed out changeset aaaaaaaaaaaa (bug 9)
         Some other line mentioning bug 10
         Backed out changeset bbbbbbbbbbbb (bug 11)
         """, Backout(nodes: ["aaaaaaaaaaaa", "bbbbbbbbbbbb"], bugs: [9, 11])),
        ("Backed out changesets (bug 12)\nBackout cccccccccccc\nBack out dddddddddddd (bug 13)",
         Backout(nodes: ["cccccccccccc", "dddddddddddd"], bugs: [12, 13])),
        ("Backed out changeset 6435d5aab611 (bug 1)\n\nBacked out changeset 2c5e4bd5e9b7 (bug 2)",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7"], bugs: [1, 2])),
        ("Backed out changeset 6435d5aab611 (bug 858680)\r\n\r\nBacked out changeset 2c5e4bd5e9b7 (bug 858680)\r\n",
         Backout(nodes: ["6435d5aab611", "2c5e4bd5e9b7"], bugs: [858680])),
    ]

    @Test(arguments: cases)
    func backout(message: String, expected: Backout) {
        #expect(CommitMessage.parse(message).backout == expected)
    }

    static let notBackouts: [String] = [
        "Bug 1 - Back out of a feature flag",
        "Backed out the frobnicator",
        "Bug 123 - Don't back out changesets on failure",
        "Backed out changeset for bustage",
        "Backout 12 tests",
        "Backout bug 1234567",
        "Backed out 3 changesets (bug 1) for bustage",
        "Backed out the frobnicator\n\nBacked out changeset 6435d5aab611 (bug 1)",
        "Backouts 6435d5aab611",
        "Backed outside 6435d5aab611",
        "Backed out changeset 6435d5aab61 (11 hex)",
        "Backed out changeset 6435d5aab611x",
        "Backed out changeset 6435d5aab6110123456789abcdef0123456789abc (41 hex)",
        "Bug 1 - foo\n\nBacked out changeset 6435d5aab611 (bug 1)",
        "Revert \"Bug 1 - foo\"",
        "",
    ]

    @Test(arguments: notBackouts)
    func notABackout(message: String) {
        #expect(CommitMessage.parse(message).backout == nil)
    }

    static let revertCases: [(String, Revert?)] = [
        ("""
         Revert "Bug 1234 - Add feature"

         This reverts commit 0123456789abcdef0123456789abcdef01234567.
         """, Revert(commits: ["0123456789abcdef0123456789abcdef01234567"], bugs: [1234])),
        ("""
         Revert "Make things faster"

         This reverts commit 0123456789abcdef0123456789abcdef01234567.
         This reverts commit 89abcdef0123456789abcdef0123456789abcdef.
         This reverts commit 0123456789abcdef0123456789abcdef01234567.

         It broke bug 55.
         """, Revert(commits: ["0123456789abcdef0123456789abcdef01234567",
                               "89abcdef0123456789abcdef0123456789abcdef"], bugs: [55])),
        ("Bug 9 - Undo it\n\nThis reverts commit ABCDEF0123456789ABCDEF0123456789ABCDEF01, reversing\nchanges made to 1111111111111111111111111111111111111111.",
         Revert(commits: ["abcdef0123456789abcdef0123456789abcdef01"], bugs: [9])),
        ("Revert \"Bug 1 - foo\"\r\n\r\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\r\n",
         Revert(commits: ["0123456789abcdef0123456789abcdef01234567"], bugs: [1])),
        ("Revert \"Bug 1234 - Add feature\"", nil),
        ("Bug 1 - foo\n\nThis reverts commit to an older state.", nil),
        ("Bug 1 - foo\n\nthis reverts commit abc.", nil),
        ("Bug 1 - foo\n\n> This reverts commit 0123456789abcdef0123456789abcdef01234567.", nil),
        ("Bug 1 - Revert the frobnicator", nil),
    ]

    @Test(arguments: revertCases)
    func reverts(message: String, expected: Revert?) {
        #expect(CommitMessage.parse(message).reverts == expected)
    }

    @Test func revertIsNotBackout() {
        let message = CommitMessage.parse("Revert \"Backed out changeset 6435d5aab611\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.")
        #expect(message.backout == nil)
        #expect(message.reverts?.commits == ["0123456789abcdef0123456789abcdef01234567"])
    }
}
