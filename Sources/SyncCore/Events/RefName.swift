/// Git reference names as they may arrive from remote input: validated before use.
public enum RefName {
    /// Whether `name` is a well-formed full reference name (the rules of `git check-ref-format`),
    /// starting with `refs/`.
    public static func isValid(_ name: String) -> Bool {
        guard name.hasPrefix("refs/"), name.utf8.count <= 1024, !name.hasSuffix("/"), !name.hasSuffix(".lock"),
              !name.hasSuffix("."), !name.contains(".."), !name.contains("//"), !name.contains("@{"), name != "@"
        else { return false }
        for byte in name.utf8 {
            if byte < 0x20 || byte == 0x7f { return false }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: ":"),
                 UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "["), UInt8(ascii: "\\"):
                return false
            default: continue
            }
        }
        return !name.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    /// Whether `name` is a well-formed branch name: `refs/heads/` followed by it is a valid reference.
    public static func isBranch(_ name: String) -> Bool { isValid("refs/heads/" + name) }

    /// Whether `name` matches `pattern`, where `*` in the pattern matches exactly one non-empty component.
    public static func matches(_ name: String, pattern: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        let wanted = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == wanted.count else { return false }
        return zip(parts, wanted).allSatisfy { part, want in want == "*" ? !part.isEmpty : part == want }
    }
}

/// Hexadecimal object names.
public enum Hex {
    /// Whether `text` is exactly `length` lowercase or uppercase hex digits.
    public static func isHex(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { isHexDigit($0) }
    }

    /// Whether `text` is a commit id as GitHub sends one: exactly 40 lowercase hex digits (the rule
    /// for every sha read from GitHub, in webhook deliveries and in the reconciliation's listings).
    public static func isCommitID(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
