// Byte-level helpers shared by the commit-message parsers.
//
// Messages are scanned as UTF-8 bytes. Every token the parsers look for is
// ASCII, so a multi-byte sequence is never split: non-ASCII bytes are simply
// never letters, digits or spaces here. Names are prefixed with `Message` so
// they cannot clash with other parts of the module.

enum MessageByte {
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    static func isWord(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == UInt8(ascii: "_") }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C }
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}

/// One line of a message, as UTF-8 bytes without its line terminator.
struct MessageLine {
    /// Lengths accepted for abbreviated or full changeset / commit hashes.
    static let nodeLengths = 12...40

    var bytes: [UInt8]
    var count: Int { bytes.count }

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { self.bytes = Array(text.utf8) }

    subscript(i: Int) -> UInt8? { i >= 0 && i < bytes.count ? bytes[i] : nil }

    /// Whether `word` (lowercase ASCII) occurs at `i`, ignoring ASCII case.
    func matches(_ word: String, at i: Int) -> Bool {
        var j = i
        for w in word.utf8 {
            guard let b = self[j], MessageByte.lower(b) == w else { return false }
            j += 1
        }
        return true
    }

    /// Like `matches`, and the match is not followed by a word character.
    func matchesWord(_ word: String, at i: Int) -> Bool {
        matches(word, at: i) && !isWord(at: i + word.utf8.count)
    }

    func isWord(at i: Int) -> Bool { self[i].map(MessageByte.isWord) ?? false }

    func skipSpaces(from i: Int) -> Int { run(from: i, while: MessageByte.isSpace) }

    /// End of the run of bytes satisfying `test` starting at `i`.
    func run(from i: Int, while test: (UInt8) -> Bool) -> Int {
        var j = i
        while j < bytes.count, test(bytes[j]) { j += 1 }
        return j
    }

    /// A hash of an accepted length at `i` that is a whole word, lowercased.
    func node(at i: Int) -> (node: String, end: Int)? {
        let end = run(from: i, while: MessageByte.isHex)
        guard Self.nodeLengths.contains(end - i), !isWord(at: end), !isWord(at: i - 1) else { return nil }
        return (String(decoding: bytes[i..<end].map(MessageByte.lower), as: UTF8.self), end)
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The range left after dropping leading and trailing ASCII whitespace.
    func trimmedRange() -> Range<Int> {
        let start = skipSpaces(from: 0)
        var end = bytes.count
        while end > start, MessageByte.isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }
}

enum MessageText {
    /// Splits on `\n`, `\r\n` and lone `\r`; never returns an empty array.
    static func lines(_ bytes: [UInt8]) -> [MessageLine] {
        var lines: [MessageLine] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                lines.append(MessageLine(current))
                current = []
                if b == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
            } else {
                current.append(b)
            }
            i += 1
        }
        lines.append(MessageLine(current))
        return lines
    }

    /// Valid UTF-8 (invalid sequences become U+FFFD) without a leading byte-order mark.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        var utf8 = Array(String(decoding: bytes, as: UTF8.self).utf8)
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        return utf8
    }

    /// The elements in order of first appearance, without repeats.
    static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}
