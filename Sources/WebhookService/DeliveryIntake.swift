import Crypto
import Foundation
import HookIntake
import Store
import SyncCore

/// The answer to one webhook request: an HTTP status and a JSON object saying what was done.
public struct DeliveryAnswer: Sendable, Equatable {
    public var status: Int
    public var fields: [String: String]

    /// The body: one JSON object, keys sorted.
    public var json: String {
        // JSONEncoder: JSONSerialization took a tenth of the service's time per delivery.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(fields)) ?? Data(), as: UTF8.self) + "\n"
    }

    static func refused(_ status: Int, _ reason: String) -> DeliveryAnswer { DeliveryAnswer(status: status, fields: ["error": reason]) }
}

/// What a delivery becomes once its signature and body are checked.
public enum DeliveryDecision: Sendable, Equatable {
    /// To record in the journal.
    case record(GitHubDelivery)
    /// Answered at once, nothing recorded: a refusal (401, 400), a ping, or an event wptsync does not read.
    case answer(DeliveryAnswer)
}

/// `POST /github/webhook` without HTTP: checks a delivery's signature and body (`check`), then
/// records it in the journal like a hook's event (`record`).
public struct DeliveryIntake: Sendable {
    public let config: Config
    /// The webhook's shared secret, the HMAC key. Never shown.
    private let secret: [UInt8]
    /// The journal, held open between deliveries (a hook opens it per push).
    private let journal: (any EventJournal)?

    /// `journal` is the configured one, opened with the hooks' busy timeout; when it could not be
    /// opened, each delivery tries again, then goes to the spool.
    public init(config: Config, secret: [UInt8], journal: (any EventJournal)?) {
        self.config = config; self.secret = secret; self.journal = journal
    }

    /// The GitHub repository whose deliveries are recorded.
    public var repository: String { config.github?.repository ?? GitHubSettings().repository }

    /// Checks the signature first (401: nothing else is looked at), then the headers and the body.
    public func check(event: String?, delivery: String?, signature: String?, body: [UInt8]) -> DeliveryDecision {
        if let refusal = Self.signatureProblem(signature, body: body, key: SymmetricKey(data: secret)) { return .answer(.refused(401, refusal)) }
        guard let event, !event.isEmpty else { return .answer(.refused(400, "the X-GitHub-Event header is missing")) }
        guard let delivery, Self.isDeliveryID(delivery) else {
            return .answer(.refused(400, "the X-GitHub-Delivery header is missing or not a GUID"))
        }
        guard WebhookPayload.understood.contains(event) else {
            return .answer(DeliveryAnswer(status: 200, fields: ["status": "ignored", "reason": "wptsync does not read \(event) events"]))
        }
        let observation: WebhookObservation
        let repository: String?
        do {
            (observation, repository) = try WebhookPayload.read(event: event, body: body)
        } catch {
            return .answer(.refused(400, error.description))
        }
        if observation == .ping { return .answer(DeliveryAnswer(status: 200, fields: ["status": "pong"])) }
        guard let repository else { return .answer(.refused(400, "the \(event) delivery's `repository` is missing")) }
        guard repository == self.repository else {
            return .answer(DeliveryAnswer(status: 200, fields: ["status": "ignored", "reason": "a delivery for \(repository); wptsync follows \(self.repository)"]))
        }
        return .record(GitHubDelivery(repository: repository, event: event, delivery: delivery,
                                      summary: WebhookPayload.summary(event: event, observation: observation),
                                      body: body))
    }

    /// Records deliveries as the hooks record a push (journal, else spool; the worker's FIFO rung),
    /// in one transaction; one answer each, in order. A redelivery (same `X-GitHub-Delivery`) is
    /// acknowledged and recorded once.
    public func record(_ deliveries: [GitHubDelivery]) -> [DeliveryAnswer] {
        HookIntake(config: config).record(deliveries.map(EventPayload.gitHubDelivery), journal: journal).map { outcome in
            switch outcome {
            case .recorded(let id): DeliveryAnswer(status: 202, fields: ["status": "recorded", "event": "\(id)"])
            case .duplicate(let id): DeliveryAnswer(status: 200, fields: ["status": "duplicate", "event": "\(id)"])
            case .spooled: DeliveryAnswer(status: 202, fields: ["status": "spooled"])
            case .lost(_, let reason): .refused(503, "the delivery could not be recorded (\(reason)); redeliver it once the journal can be written")
            case .skipped(let reason), .unlisted(let reason): .refused(500, reason)
            case .rejected(let reasons): .refused(500, reasons.joined(separator: "; "))
            }
        }
    }

    /// The `X-Hub-Signature-256` value GitHub sends with `body` for the webhook secret `secret`
    /// (`sha256=` and the HMAC-SHA256 in hex), as `wptsync demo` signs its deliveries.
    public static func signature(of body: [UInt8], secret: [UInt8]) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
            .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Why `signature` does not sign `body` with `key`, or nil when it does. The comparison is
    /// HMAC-SHA256's constant-time one.
    static func signatureProblem(_ signature: String?, body: [UInt8], key: SymmetricKey) -> String? {
        guard let signature, !signature.isEmpty else { return "the X-Hub-Signature-256 header is missing: the delivery is not signed" }
        guard signature.hasPrefix("sha256="), let mac = hexBytes(signature.dropFirst("sha256=".count)), mac.count == 32 else {
            return "the X-Hub-Signature-256 header is not sha256=<64 hex digits>"
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) else {
            return "the X-Hub-Signature-256 signature does not match the body with the configured secret"
        }
        return nil
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }

    /// GitHub's delivery ids are GUIDs: hex digits and dashes.
    static func isDeliveryID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { hexValue($0) != nil || $0 == UInt8(ascii: "-") }
    }
}
