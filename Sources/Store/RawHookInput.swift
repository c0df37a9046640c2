import Foundation

/// A hook's own input, saved unparsed by the hook script (`hooks/spool-hook-input`) when
/// `wptsync-hook` could not run or failed. Draining the spool turns it into the event the hook
/// would have recorded.
///
/// The body of a `raw` spool record is the hook's name on the first line, then one `NAME HEX` line
/// per value: the value's bytes in hex, so nothing in them is ever interpreted on the way.
/// Names: `pwd` (the hook's working directory), `time` (seconds since 1970), `stdin` (git's ref
/// lines), and environment variables (`HG_NODE`, `GIT_DIR`, `USER`…).
public struct RawHookInput: Sendable, Equatable {
    /// The hook that saved it: `hg-changegroup` or `git-post-receive`.
    public var hook: String
    /// Each saved value's bytes by name (`pwd`, `time`, `stdin`, environment variables), exactly as the hook had them.
    public var fields: [String: [UInt8]]

    public init(hook: String, fields: [String: [UInt8]]) { self.hook = hook; self.fields = fields }

    static let hooks: Set<String> = ["hg-changegroup", "git-post-receive"]

    /// Parses a `raw` record's body strictly: nil if any line is not what it must be.
    init?(body: [UInt8]) {
        var lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.popFirst(), let hook = String(validating: first, as: UTF8.self), Self.hooks.contains(hook) else { return nil }
        var fields: [String: [UInt8]] = [:]
        for line in lines {
            let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard parts.count == 2, let name = String(validating: parts[0], as: UTF8.self), Self.isName(name),
                  fields[name] == nil, let value = Self.unhex(parts[1]) else { return nil }
            fields[name] = value
        }
        self.init(hook: hook, fields: fields)
    }

    /// A field as UTF-8 text, if present and valid.
    public func text(_ name: String) -> String? {
        fields[name].flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The environment variables saved (every field named in capitals).
    public var environment: [String: String] {
        var environment: [String: String] = [:]
        for (name, value) in fields where name.first?.isUppercase == true {
            if let text = String(validating: value, as: UTF8.self) { environment[name] = text }
        }
        return environment
    }

    /// When the hook ran, if it said.
    public var time: Date? { text("time").flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }

    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0)
            || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) }
    }

    static func unhex(_ hex: some Collection<UInt8>) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for char in hex {
            let digit: UInt8
            switch char {
            case 0x30...0x39: digit = char - 0x30
            case 0x61...0x66: digit = char - 0x61 + 10
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | digit); high = nil } else { high = digit }
        }
        return bytes
    }
}
