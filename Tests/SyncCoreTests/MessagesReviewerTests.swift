import Testing
import SyncCore

struct MessagesReviewerTests {
    static let cases: [(String, [String])] = [
        ("Bug 1 - Fix. r=alice", ["alice"]),
        ("Bug 1 - Fix. r=alice,bob", ["alice", "bob"]),
        ("Bug 1 - Fix. r=alice/bob", ["alice", "bob"]),
        ("Bug 1 - Fix. r=alice;bob", ["alice", "bob"]),
        ("Bug 1 - Fix r?alice", ["alice"]),
        ("Bug 1 - Fix sr=boss", ["boss"]),
        ("Bug 1 - Fix rs=rubber", ["rubber"]),
        ("Bug 1 - Fix ui-r=designer", ["designer"]),
        ("Bug 1 - Fix r=a r=b", ["a", "b"]),
        ("Bug 1 - Fix r=a,b a=c", ["a", "b"]),
        ("Bug 1 - Fix a=testonly", []),
        ("Bug 1 - Fix r=alice sr=bob ui-r=carol", ["alice", "bob", "carol"]),
        ("Bug 1 - Fix r=jean-paul,some_one,j.doe,user2", ["jean-paul", "some_one", "j.doe", "user2"]),
        ("Bug 1 - Fix r=bz.", ["bz"]),
        ("Bug 1 - Fix r=bz...", ["bz"]),
        ("Bug 1 - Fix r=#webidl,smaug", ["#webidl", "smaug"]),
        ("Bug 1 - Fix r=smaug!,#layout-reviewers!", ["smaug", "#layout-reviewers"]),
        ("Bug 1 - Fix r=alice r=alice", ["alice"]),
        ("Bug 1 - Fix (r=alice)", ["alice"]),
        ("Bug 1 - Fix [r=alice]", ["alice"]),
        ("Bug 1 - Fix;r=alice", ["alice"]),
        ("Bug 1 - Fix.r=alice", ["alice"]),
        ("Bug 1 - Fix R=Alice", ["Alice"]),
        ("Bug 1 - Fix r=alice, bob", ["alice", "bob"]),
        ("Bug 1 - Fix r=alice,r=bob", ["alice", "bob"]),
        ("Bug 1 - Fix r=alice, r=bob", ["alice", "bob"]),
        ("Bug 1 - Fix r=alice,sr=bob", ["alice", "bob"]),
        ("Bug 1 - Fix r=alice,a=release", ["alice"]),
        ("Bug 1 - Fix r=alice\\bob", ["alice", "bob"]),
        ("Bug 1 - Fix ui-review=carol", []),
        ("Bug 1 - Fix r=alice ui-review=carol", ["alice"]),
        ("Bug 1 - Fix r=alice,", ["alice"]),
        // Not reviewers.
        ("Bug 1 - Handle r=0 and r=255", []),
        ("Bug 1 - Load https://example.com/?r=alice", []),
        ("Bug 1 - Fix for=alice and bar=bob", []),
        ("Bug 1 - Fix r= alice", []),
        ("Bug 1 - Fix r=", []),
        ("Bug 1 - Fix\n\nr=alice on a later line", []),
        ("Merge autoland to mozilla-central a=merge", []),
    ]

    @Test(arguments: cases)
    func reviewers(message: String, expected: [String]) {
        #expect(CommitMessage.parse(message).reviewers == expected)
    }

    static let exportCases: [(String, String)] = [
        ("Bug 1234567 - Do a thing. r=alice,bob", "Do a thing."),
        ("Bug 1234567: Do a thing r=alice", "Do a thing"),
        ("bug 1234567 Do a thing, r=alice", "Do a thing"),
        ("Bug 1234567 -Do", "Bug 1234567 -Do"),
        ("Bug 1234567 - Do a thing; r=alice a=bob", "Do a thing"),
        ("Bug 1234567 - Do a thing r?alice", "Do a thing"),
        ("Bug 1234567 - Do a thing r=alice, bob", "Do a thing"),
        ("Bug 1234567 - Do a thing r=alice,r=bob a=c", "Do a thing"),
        ("Bug 1234567 - Do a thing sr=x rs=y ui-r=z f=w", "Do a thing"),
        ("Bug 1234567 - Do a thing. r=bz.", "Do a thing."),
        ("Bug 1234567 - Do a thing (r=alice)", "Do a thing"),
        ("Bug 1234567 - Do a thing. r=#webidl!", "Do a thing."),
        ("Bug 1234567 - Do a thing, a=testonly", "Do a thing"),
        ("Bug 1234567 - Keep r=alice in the middle r=bob", "Keep r=alice in the middle"),
        ("  Bug 1234567 - Padded r=a  ", "Padded"),
        ("Do a thing without bug r=alice", "Do a thing without bug"),
        ("Bugzilla: fix links", "Bugzilla: fix links"),
        ("Bug 1234567 - Ünïcödé «thing» r=a", "Ünïcödé «thing»"),
        ("Bug 1234567 - r=alice", ""),
        ("No annotations at all.", "No annotations at all."),
        ("", ""),
    ]

    @Test(arguments: exportCases)
    func exportSummary(firstLine: String, expected: String) {
        #expect(CommitMessage.exportSummary(firstLine) == expected)
    }

    @Test func summaryIsFirstLineWithoutTerminator() {
        #expect(CommitMessage.parse("Bug 1 - Title r=a\r\n\r\nBody").summary == "Bug 1 - Title r=a")
        #expect(CommitMessage.parse("").summary == "")
        #expect(CommitMessage.parse("\nsecond").summary == "")
    }
}
