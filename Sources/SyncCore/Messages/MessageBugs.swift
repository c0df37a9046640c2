// Bug references: `Bug 123`, `bug #123`, `bug123`, `b=123`, in any ASCII case.
//
// The reference must start a word (so `debug 5`, `show_bug.cgi` and
// `test_bug12.html` do not count) and the number must end one (`bug 12ab`
// does not count). `[wpt PR 123]` and bare numbers are never bugs. Bug 0 and
// numbers too large for `Int` are ignored.

enum MessageBugs {
    /// Bug numbers on `line`, in order, repeats included.
    static func bugs(in line: MessageLine) -> [Int] {
        var result: [Int] = []
        var i = 0
        while i < line.count {
            if let (bug, end) = reference(in: line, at: i) {
                result.append(bug)
                i = end
            } else {
                i += 1
            }
        }
        return result
    }

    /// Bug numbers of all `lines`, in order of first appearance, without repeats.
    static func bugs(in lines: some Sequence<MessageLine>) -> [Int] {
        MessageText.unique(lines.flatMap { bugs(in: $0) })
    }

    private static func reference(in line: MessageLine, at i: Int) -> (Int, Int)? {
        guard !line.isWord(at: i - 1) else { return nil }
        var j: Int
        if line.matches("bug", at: i) {
            j = line.skipSpaces(from: i + 3)
            if line[j] == UInt8(ascii: "#") { j = line.skipSpaces(from: j + 1) }
        } else if line.matches("b=", at: i) {
            j = i + 2
        } else {
            return nil
        }
        let end = line.run(from: j, while: MessageByte.isDigit)
        guard end > j, !line.isWord(at: end), let bug = Int(line.text(j..<end)), bug > 0 else { return nil }
        return (bug, end)
    }
}
