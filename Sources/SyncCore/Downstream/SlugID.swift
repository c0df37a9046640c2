/// Taskcluster's task ids ("slugids"): 16 random bytes in URL-safe base64 without padding, 22
/// characters, the first bit cleared so that an id never starts with `-`.
public enum SlugID {
    /// The slugid of `bytes` (16 random bytes, such as a random UUID's).
    public static func make(from bytes: [UInt8]) -> String {
        precondition(bytes.count == 16, "a slugid encodes 16 bytes")
        var bytes = bytes
        bytes[0] &= 0x7f
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for byte in chunk { value = value << 8 | Int(byte) }
            value <<= 8 * (3 - chunk.count)
            for position in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return out
    }

    /// Whether `text` has a slugid's form.
    public static func isValid(_ text: String) -> Bool {
        text.count == 22 && text.first != "-"
            && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}
