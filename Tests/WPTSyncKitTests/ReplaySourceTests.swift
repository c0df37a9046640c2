import Foundation
import Testing
import WPTSyncKit

@Suite("Replay options and progress")
struct ReplaySourceTests {
    @Test func eachSourceIsParsed() throws {
        #expect(try ReplaySource(repository: "autoland", revs: "abc:tip", pushes: nil, wpt: nil) == .revisions(repository: "autoland", range: "abc:tip"))
        #expect(try ReplaySource(repository: "autoland", revs: nil, pushes: "3:12", wpt: nil) == .pushes(repository: "autoland", ids: 3...12))
        #expect(try ReplaySource(repository: nil, revs: nil, pushes: nil, wpt: "abc..def") == .wpt(old: "abc", new: "def"))
    }

    @Test(arguments: [
        ("autoland", "1:2", "1:2", nil, "exactly one of --revs, --pushes, --wpt"),
        (nil, nil, nil, nil, "exactly one of"),
        (nil, nil, "1:2", nil, "--repository \"\": expected a [[gecko]] name with --pushes"),
        ("autoland", nil, "0:4", nil, "--pushes \"0:4\": expected START:END, push ids with 1 <= START <= END"),
        ("autoland", nil, "5:4", nil, "1 <= START <= END"),
        ("autoland", nil, "x:4", nil, "1 <= START <= END"),
        ("autoland", "tip", nil, nil, "--revs \"tip\": expected A:B"),
        ("autoland", nil, nil, "a..b", "--repository \"autoland\": expected nothing with --wpt"),
        (nil, nil, nil, "a...b", "--wpt \"a...b\": expected OLD..NEW"),
    ] as [(String?, String?, String?, String?, String)])
    func badOptionsAreNamed(repository: String?, revs: String?, pushes: String?, wpt: String?, message: String) {
        #expect {
            try ReplaySource(repository: repository, revs: revs, pushes: pushes, wpt: wpt)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func progressIsABarOnATerminalAndLinesOtherwise() {
        var written: [String] = []
        var now = Date(timeIntervalSince1970: 0)
        let lines = ReplayProgress(total: 5, terminal: false, every: 2, clock: { now }) { written.append($0) }
        for _ in 0..<5 { now += 1; lines.advance() }
        lines.finish()
        #expect(written == ["replayed 2/5 events, 1.0/s\n", "replayed 4/5 events, 1.0/s\n", "replayed 5/5 events, 1.0/s\n"])

        written = []
        let bar = ReplayProgress(total: 4, terminal: true, clock: { now }) { written.append($0) }
        now += 2
        bar.advance()
        bar.finish()
        #expect(written == ["\r[#######.......................] 1/4 events, 0.5/s", "\n"])
    }
}
