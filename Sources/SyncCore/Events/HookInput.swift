/// What a hook decided about its input: record an event, or skip with a reason the operator can read.
public enum HookDecision: Sendable, Equatable {
    case record(EventPayload)
    case skip(String)
}

/// Why a hook's input was rejected. Each case names the offending variable or line.
public enum HookInputError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingVariable(String)
    case invalidNode(variable: String, value: String)
    /// The all-zero node: Mercurial's null revision, never a pushed changeset.
    case nullNode(variable: String)
    case invalidValue(variable: String, value: String)
    case malformedLine(number: Int, reason: String)
    /// Malformed lines beyond the first few reported ones, only counted (`HookInput.reportedLineProblems`).
    case moreMalformedLines(count: Int)

    public var description: String {
        switch self {
        case .missingVariable(let name):
            "\(name) is not set"
        case let .invalidNode(variable, value):
            "\(variable) is not a 40-digit hex node: \(Self.quote(value))"
        case .nullNode(let variable):
            "\(variable) is the null revision (40 zeros), not a changeset"
        case let .invalidValue(variable, value):
            "\(variable) has an unexpected value: \(Self.quote(value))"
        case let .malformedLine(number, reason):
            "stdin line \(number): \(reason)"
        case .moreMalformedLines(let count):
            "and \(count) more malformed stdin line(s), not shown"
        }
    }

    static func quote(_ text: String) -> String {
        let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return "\"" + shown.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "\""
    }
}

/// Pure interpretation of what Mercurial's `changegroup` hook and git's `post-receive` hook hand over.
public enum HookInput {
    /// Who pushed, as the hook's environment says: `REMOTE_USER` (set by the web server), then `USER`, then
    /// `LOGNAME`, the first that is set and not empty. Autoland decides on it, so only a login or an e-mail
    /// address is taken (`isUserName`); anything else leaves the push without a user.
    public static func user(environment env: [String: String]) -> String? {
        guard let value = ["REMOTE_USER", "USER", "LOGNAME"].lazy.compactMap({ env[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        return isUserName(value) ? value : nil
    }

    /// At most 256 bytes of ASCII letters, digits, `.`, `_`, `-`, `+` and `@`, not starting with `-`.
    public static func isUserName(_ text: String) -> Bool {
        (1...256).contains(text.utf8.count) && !text.hasPrefix("-") && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "@")].contains(byte)
        }
    }

    /// Interprets a changegroup hook's environment for `repository`.
    public static func hgChangegroup(environment env: [String: String], repository: GeckoRepository) throws(HookInputError) -> HookDecision {
        if let type = env["HG_HOOKTYPE"], type != "changegroup" {
            throw .invalidValue(variable: "HG_HOOKTYPE", value: type)
        }
        guard let first = env["HG_NODE"], !first.isEmpty else { throw .missingVariable("HG_NODE") }
        guard Hex.isHex(first, length: 40) else { throw .invalidNode(variable: "HG_NODE", value: first) }
        guard first != RefUpdate.zero else { throw .nullNode(variable: "HG_NODE") }
        let last = env["HG_NODE_LAST"].flatMap { $0.isEmpty ? nil : $0 } ?? first
        guard Hex.isHex(last, length: 40) else { throw .invalidNode(variable: "HG_NODE_LAST", value: last) }
        guard last != RefUpdate.zero else { throw .nullNode(variable: "HG_NODE_LAST") }
        guard let source = env["HG_SOURCE"], !source.isEmpty else { throw .missingVariable("HG_SOURCE") }
        guard source.utf8.count <= 32, source.utf8.allSatisfy({ (0x61...0x7a).contains($0) || $0 == UInt8(ascii: "-") }) else {
            throw .invalidValue(variable: "HG_SOURCE", value: source)
        }
        guard repository.enabled else { return .skip("recording is disabled for \(repository.name)") }
        guard repository.sources.contains(source) else {
            return .skip("source \(source) is not recorded for \(repository.name)")
        }
        return .record(.hgPush(HgPush(
            repository: repository.name, firstNode: first.lowercased(), lastNode: last.lowercased(), source: source,
            url: env["HG_URL"], user: user(environment: env), transaction: env["HG_TXNID"])))
    }

    /// How many malformed stdin lines are described one by one; the others are only counted, so
    /// garbage input cannot flood the pusher's terminal or the log.
    public static let reportedLineProblems = 5

    /// Interprets a post-receive hook's stdin for the wpt mirror.
    /// Returns the decision for the well-formed lines whose refs are recorded, and the problems found
    /// in the others: the first `reportedLineProblems` each name their line, then one counts the rest.
    public static func gitPostReceive(stdin: [UInt8], mirror: WPTMirror, repositoryName: String,
                                      user: String? = nil) -> (decision: HookDecision, problems: [HookInputError]) {
        gitPostReceive(stdin: stdin, refs: mirror.refs, enabled: mirror.enabled, repositoryName: repositoryName, user: user)
    }

    /// Interprets a post-receive hook's stdin for a git Gecko repository: only its branch is recorded.
    public static func gitPostReceive(stdin: [UInt8], gecko: GeckoRepository,
                                      user: String? = nil) -> (decision: HookDecision, problems: [HookInputError]) {
        gitPostReceive(stdin: stdin, refs: gecko.branch.map { [$0] } ?? [], enabled: gecko.enabled, repositoryName: gecko.name, user: user)
    }

    /// Interprets a post-receive hook's stdin, recording the updates of refs matching `refs`.
    public static func gitPostReceive(stdin: [UInt8], refs patterns: [String], enabled: Bool, repositoryName: String,
                                      user: String? = nil) -> (decision: HookDecision, problems: [HookInputError]) {
        var updates: [RefUpdate] = []
        var problems: [HookInputError] = []
        var unreported = 0
        func reject(_ problem: HookInputError) {
            if problems.count < reportedLineProblems { problems.append(problem) } else { unreported += 1 }
        }
        var skippedRefs: [String] = []
        let lines = stdin.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var bytes = Array(raw)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.isEmpty { continue }
            guard let line = String(validating: bytes, as: UTF8.self) else {
                reject(.malformedLine(number: number, reason: "not UTF-8")); continue
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else {
                reject(.malformedLine(number: number, reason: "expected \"<old> <new> <ref>\", got \(HookInputError.quote(line))")); continue
            }
            guard Hex.isHex(fields[0], length: 40), Hex.isHex(fields[1], length: 40) else {
                reject(.malformedLine(number: number, reason: "old and new must be 40-digit hex object names")); continue
            }
            // A zero old value creates the ref and a zero new value deletes it; both zero changes nothing.
            guard fields[0] != RefUpdate.zero || fields[1] != RefUpdate.zero else {
                reject(.malformedLine(number: number, reason: "old and new are both the zero object name: no ref update")); continue
            }
            guard RefName.isValid(fields[2]) else {
                reject(.malformedLine(number: number, reason: "invalid ref name \(HookInputError.quote(fields[2]))")); continue
            }
            guard patterns.contains(where: { RefName.matches(fields[2], pattern: $0) }) else {
                skippedRefs.append(fields[2]); continue
            }
            updates.append(RefUpdate(old: fields[0].lowercased(), new: fields[1].lowercased(), ref: fields[2]))
        }
        if unreported > 0 { problems.append(.moreMalformedLines(count: unreported)) }
        if !enabled { return (.skip("recording is disabled for \(repositoryName)"), problems) }
        if updates.isEmpty {
            let more = skippedRefs.count > reportedLineProblems ? " and \(skippedRefs.count - reportedLineProblems) more" : ""
            let reason = skippedRefs.isEmpty ? "no ref updates to record"
                : "refs not recorded: \(skippedRefs.prefix(reportedLineProblems).joined(separator: ", "))\(more)"
            return (.skip(reason), problems)
        }
        return (.record(.gitPush(GitPush(repository: repositoryName, updates: updates, user: user))), problems)
    }
}
