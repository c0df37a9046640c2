// Metadata lines: `key: value` where the key is lowercase ASCII letters,
// digits and `-`, starting with a letter, at the very start of a line other
// than the first, followed by `: ` and a non-empty value (trimmed; it may
// contain further colons). The last line for a key wins. Capitalised trailers
// (`Differential Revision:`, `Change-Id:`, Chromium's `Bug:`) are not metadata,
// and neither is the summary line (`css: fix typo` is a subject, not a key).

enum MessageMetadata {
    static func parse(_ lines: [MessageLine]) -> [String: String] {
        var metadata: [String: String] = [:]
        for line in lines.dropFirst() {
            if let (key, value) = entry(line) { metadata[key] = value }
        }
        return metadata
    }

    static func entry(_ line: MessageLine) -> (String, String)? {
        guard let first = line[0], MessageByte.isLower(first) else { return nil }
        let keyEnd = line.run(from: 0) {
            MessageByte.isLower($0) || MessageByte.isDigit($0) || $0 == UInt8(ascii: "-")
        }
        guard line[keyEnd] == UInt8(ascii: ":"), let space = line[keyEnd + 1], MessageByte.isSpace(space) else {
            return nil
        }
        let trimmed = line.trimmedRange()
        let valueStart = line.skipSpaces(from: keyEnd + 1)
        guard valueStart < trimmed.upperBound else { return nil }
        return (line.text(0..<keyEnd), line.text(valueStart..<trimmed.upperBound))
    }
}
