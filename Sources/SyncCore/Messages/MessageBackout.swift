// Backout detection. Only a message whose first line starts with
// `Backed out`, `Backout` or `Back out` (any ASCII case) can be a backout.
// That line either lists nodes itself:
//     Backed out changeset 6435d5aab611 (bug 858680) for …
//     Backout of 6435d5aab611 / Backout revision 6435d5aab611 / Backout 6435d5aab611
//     Backed out changesets A, B, and C (bug N)
// or announces them with a count and/or a plural word:
//     Backed out 3 changesets (bug N, bug M) for …
// Later lines of the same shape (`Backed out changeset <node> (bug N)`) add
// their nodes in both cases; the announced count is ignored. A message that
// names no node at all is not a backout.

/// The changesets a backout commit undoes.
public struct Backout: Sendable, Equatable {
    /// Backed-out nodes (12 to 40 hex digits, lowercased), in order, without repeats.
    public var nodes: [String]
    /// Bugs named on the first line and on the per-changeset lines, in order, without repeats.
    public var bugs: [Int]

    public init(nodes: [String], bugs: [Int]) {
        self.nodes = nodes
        self.bugs = bugs
    }

    /// The backout described by `lines` (the whole message), if any.
    static func parse(_ lines: [MessageLine]) -> Backout? {
        guard let first = lines.first, let header = parseLine(first) else { return nil }
        guard !header.nodes.isEmpty || header.announcesNodes else { return nil }
        var nodes = header.nodes
        var bugLines = [first]
        for line in lines.dropFirst() {
            guard let entry = parseLine(line), !entry.nodes.isEmpty else { continue }
            nodes += entry.nodes
            bugLines.append(line)
        }
        guard !nodes.isEmpty else { return nil }
        return Backout(nodes: MessageText.unique(nodes), bugs: MessageBugs.bugs(in: bugLines))
    }

    /// The nodes listed by one line starting with a backout keyword, and
    /// whether it announced changesets without listing them (`3 changesets`).
    private static func parseLine(_ line: MessageLine) -> (nodes: [String], announcesNodes: Bool)? {
        guard var j = keywordEnd(line) else { return nil }
        j = line.skipSpaces(from: j)
        if line.matchesWord("of", at: j) { j = line.skipSpaces(from: j + 2) }
        var announcesNodes = false
        let countEnd = line.run(from: j, while: MessageByte.isDigit)
        if countEnd > j, line.skipSpaces(from: countEnd) > countEnd,
           unitWordEnd(line, at: line.skipSpaces(from: countEnd)) != nil {
            announcesNodes = true
            j = line.skipSpaces(from: countEnd)
        }
        var nodes: [String] = []
        while true {
            if let end = unitWordEnd(line, at: j) {
                announcesNodes = announcesNodes || line[end - 1].map(MessageByte.lower) == UInt8(ascii: "s")
                j = line.skipSpaces(from: end)
            }
            guard let (node, end) = line.node(at: j) else { break }
            nodes.append(node)
            guard let next = separatorEnd(line, at: end) else { break }
            j = next
        }
        return (nodes, announcesNodes)
    }

    /// End of `back out`, `backed out`, `backout` (and `backedout`) after leading whitespace.
    private static func keywordEnd(_ line: MessageLine) -> Int? {
        var j = line.skipSpaces(from: 0)
        guard line.matches("back", at: j) else { return nil }
        j += 4
        if line.matches("ed", at: j) { j += 2 }
        j = line.skipSpaces(from: j)
        return line.matchesWord("out", at: j) ? j + 3 : nil
    }

    /// End of `changeset(s)`, `revision(s)`, `rev(s)` or `commit(s)` at `i`.
    private static func unitWordEnd(_ line: MessageLine, at i: Int) -> Int? {
        for unit in ["changesets", "changeset", "revisions", "revision", "revs", "rev", "commits", "commit"]
        where line.matchesWord(unit, at: i) {
            return i + unit.utf8.count
        }
        return nil
    }

    /// Position of the next node after a separator (`,`, `and`, `&`, or `, and`), if any.
    private static func separatorEnd(_ line: MessageLine, at i: Int) -> Int? {
        var j = line.skipSpaces(from: i)
        var separated = false
        if line[j] == UInt8(ascii: ",") {
            separated = true
            j = line.skipSpaces(from: j + 1)
        }
        if line.matchesWord("and", at: j) {
            separated = true
            j = line.skipSpaces(from: j + 3)
        } else if line[j] == UInt8(ascii: "&") {
            separated = true
            j = line.skipSpaces(from: j + 1)
        }
        return separated ? j : nil
    }
}
