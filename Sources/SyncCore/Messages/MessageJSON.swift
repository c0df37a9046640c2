// Hand-written JSON output for `wptsync parse-message`, so the core needs no
// Foundation.

/// JSON encoding of parsed commit messages.
///
/// The output is one object on one line, with Python's default separators
/// (`", "` between items, `": "` after keys), keys in this order:
///
///     {"bugs": [1], "reviewers": ["a"], "backout": null, "reverts": null, "is_merge": false, "metadata": {}}
///
/// `backout` is `null` or `{"nodes": [...], "bugs": [...]}`, `reverts` is
/// `null` or `{"commits": [...], "bugs": [...]}`, and metadata keys are sorted.
/// Strings escape `"`, `\` and control characters (`\n`, `\r`, `\t`, `\b`,
/// `\f`, otherwise `\u00XX`); everything else, non-ASCII included, is written
/// as UTF-8.
public enum MessageJSON {
    /// The JSON object for `message`, without a trailing newline.
    public static func encode(_ message: CommitMessage) -> String {
        let backout = message.backout.map {
            object([("nodes", array($0.nodes.map(quoted))), ("bugs", array($0.bugs.map(String.init)))])
        }
        let reverts = message.reverts.map {
            object([("commits", array($0.commits.map(quoted))), ("bugs", array($0.bugs.map(String.init)))])
        }
        let metadata = message.metadata.sorted { $0.key < $1.key }.map { ($0.key, quoted($0.value)) }
        return object([
            ("bugs", array(message.bugs.map(String.init))),
            ("reviewers", array(message.reviewers.map(quoted))),
            ("backout", backout ?? "null"),
            ("reverts", reverts ?? "null"),
            ("is_merge", message.isMerge ? "true" : "false"),
            ("metadata", object(metadata)),
        ])
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ", ") + "]"
    }

    /// `members` are keys and already-encoded values.
    private static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quoted($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}

extension CommitMessage {
    /// This message as one JSON object; see `MessageJSON` for the format.
    public var json: String { MessageJSON.encode(self) }
}
