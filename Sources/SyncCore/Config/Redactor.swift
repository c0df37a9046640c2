/// Replaces secrets in text with `<redacted>`, in every form a secret takes on its way into an
/// error or a log line: as is, JSON-escaped (`\"`, `\\`, `\/`, `\n`, `\u00e9`…) and percent-encoded
/// (`%22`, `%c3%a9`, either case of hex, `+` for a space), each character in any of these forms.
/// It never prints its secrets (`description`, `dump`).
public struct Redactor: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The secrets, longest first (so a secret containing another is replaced whole); those
    /// shorter than 4 characters are dropped (they would blank out ordinary words).
    private let secrets: [String]
    /// Per secret, the forms of each of its characters.
    private let patterns: [[[Form]]]

    /// A redactor for `secrets` (duplicates and secrets shorter than 4 characters are dropped).
    public init(_ secrets: [String]) {
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { ($0.count, $0) > ($1.count, $1) }
        patterns = self.secrets.map { $0.unicodeScalars.map(Self.forms) }
    }

    public var description: String { "Redactor(\(secrets.count) secret(s))" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Redacts nothing.
    public static let none = Redactor([])

    /// `text` with every occurrence of a secret, in any of its forms, replaced by `<redacted>`.
    public func callAsFunction(_ text: String) -> String {
        if secrets.isEmpty { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        scan: while index < bytes.count {
            for pattern in patterns {
                if let end = Self.match(pattern, in: bytes, at: index) {
                    output += Array("<redacted>".utf8)
                    index = end
                    changed = true
                    continue scan
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    /// One way a character can be written; hex digits of an encoded form match in either case.
    private struct Form: Sendable, Equatable { var bytes: [UInt8]; var anyCase = false }

    /// The end of the secret (one list of forms per character) matched at `start`, trying each
    /// form of each character in turn.
    private static func match(_ pattern: [[Form]], in bytes: [UInt8], at start: Int) -> Int? {
        func from(_ character: Int, _ position: Int) -> Int? {
            if character == pattern.count { return position }
            for form in pattern[character] where position + form.bytes.count <= bytes.count {
                let fits = form.bytes.indices.allSatisfy { offset in
                    let actual = bytes[position + offset], expected = form.bytes[offset]
                    return actual == expected || (form.anyCase && lowercased(actual) == expected)
                }
                if fits, let end = from(character + 1, position + form.bytes.count) { return end }
            }
            return nil
        }
        return from(0, start)
    }

    /// The forms of `scalar`: its UTF-8 bytes, their percent-encoding, and its JSON escapes.
    private static func forms(_ scalar: Unicode.Scalar) -> [Form] {
        let utf8 = Array(String(scalar).utf8)
        var forms = [Form(bytes: utf8), Form(bytes: utf8.flatMap { Array("%".utf8) + hex($0, digits: 2) }, anyCase: true)]
        if scalar == " " { forms.append(Form(bytes: Array("+".utf8))) }
        let short: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "/": "\\/", "\n": "\\n", "\r": "\\r",
                                               "\t": "\\t", "\u{08}": "\\b", "\u{0C}": "\\f"]
        if let escape = short[scalar] { forms.append(Form(bytes: Array(escape.utf8))) }
        forms.append(Form(bytes: String(scalar).utf16.flatMap { Array("\\u".utf8) + hex($0, digits: 4) }, anyCase: true))
        return forms
    }

    private static func hex(_ value: some BinaryInteger, digits: Int) -> [UInt8] {
        let text = String(value, radix: 16)
        return Array((String(repeating: "0", count: max(0, digits - text.count)) + text).utf8)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
