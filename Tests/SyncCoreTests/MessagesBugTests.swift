import Testing
import SyncCore

struct MessagesBugTests {
    static let cases: [(String, [Int])] = [
        ("Bug 1234567 - Do a thing. r=alice", [1234567]),
        ("bug 1234567 - lower case", [1234567]),
        ("BUG 1234567: upper case", [1234567]),
        ("Fix it, b=1234567 r=alice", [1234567]),
        ("Bug #42 - hash sign", [42]),
        ("bug1234567 no space", [1234567]),
        ("Bug   77 - several spaces", [77]),
        ("Bug 1 and bug 2 and Bug 1 again", [1, 2]),
        ("Bug 3 - foo\n\nAlso fixes bug 4.\nSee bug 3.", [3, 4]),
        ("(bug 858680)", [858680]),
        ("[bug 5]", [5]),
        ("gecko/bug12", [12]),
        // Look-alikes that are not bug references.
        ("Bug 1638286 [wpt PR 23602] - Add tests, a=testonly", [1638286]),
        ("[wpt PR 12345] - Update", []),
        ("Remove debug 5 logging", []),
        ("Bugzilla 12345 is down", []),
        ("See https://bugzilla.mozilla.org/show_bug.cgi?id=12345", []),
        ("Fix test_bug1234.html", []),
        ("Bugs 12 and 13", []),
        ("bug 12abc", []),
        ("ab=12 sub=13", []),
        ("Bug: 1084890", []),
        ("Bug 0 - nothing", []),
        ("Bug 99999999999999999999999 - overflow", []),
        ("Update 1234567 things", []),
        ("", []),
        ("Bug 17 – ünïcödé 🎉 and bug 18", [17, 18]),
    ]

    @Test(arguments: cases)
    func bugs(message: String, expected: [Int]) {
        #expect(CommitMessage.parse(message).bugs == expected)
    }

    @Test func bugsFromBodyAndFirstLineInOrder() {
        let message = """
            Bug 1638286 [wpt PR 23602] - Add tests for foo, a=testonly

            Automatic update from web-platform-tests
            Add tests for foo (bug 1500000 follow-up)

            Bug: 1084890
            Change-Id: I4e8f0e6d3b9c
            Reviewed-on: https://chromium-review.googlesource.com/c/chromium/src/+/2210124

            wpt-commits: 2c3d7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8
            wpt-pr: 23602
            """
        #expect(CommitMessage.parse(message).bugs == [1638286, 1500000])
    }
}
