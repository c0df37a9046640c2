/// Control characters in text that comes from outside (upstream file names, commit messages, PR
/// titles, errors): C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). A terminal acts on
/// them (ESC starts an escape sequence, CR rewrites a line), so they are refused, stripped or
/// shown escaped, never passed on raw.
public enum ControlCharacters {
    /// Whether `scalar` is a C0 or C1 control character or DEL.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether `bytes` hold a control character: a byte below 0x20, 0x7F, or a C1 character in
    /// UTF-8 (0xC2 0x80–0x9F). Bytes that are not UTF-8 are otherwise left alone.
    public static func found(in bytes: [UInt8]) -> Bool {
        bytes.indices.contains { controlLength(bytes, at: $0) > 0 }
    }

    /// `bytes` without control characters other than line feed and tab (so a CR LF line end
    /// becomes LF), cut after `limit` bytes (at a UTF-8 character boundary) with `truncationMarker`
    /// on its own line after the cut.
    public static func cleanedMessage(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, limit))
        var index = 0
        while index < bytes.count {
            let length = controlLength(bytes, at: index)
            if length == 0 || bytes[index] == 0x0A || bytes[index] == 0x09 { out.append(bytes[index]); index += 1 } else { index += length }
        }
        guard out.count > limit else { return out }
        var cut = limit
        while cut > 0, out[cut] & 0xC0 == 0x80 { cut -= 1 }
        return Array(out[..<cut]) + Array("\n\(truncationMarker)\n".utf8)
    }

    /// Ends a message that `cleanedMessage` cut.
    public static let truncationMarker = "[truncated]"

    /// `text` with every control character (line breaks and tabs too) shown visibly: `\n`, `\r`,
    /// `\t`, and `\u{1B}` for the others, so one record stays on one line and a terminal shows
    /// what is there instead of acting on it.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { out.append(scalar); continue }
            let shown = switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }

    /// The number of bytes of the control character starting at `index`, or 0 when none does.
    private static func controlLength(_ bytes: [UInt8], at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x20 || byte == 0x7F { return 1 }
        if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return 2 }
        return 0
    }
}
