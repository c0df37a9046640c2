import Foundation
import Store
import SyncCore

/// How events are shown to operators.
public enum EventFormat {
    /// One readable line: id, state, kind, repository, what was pushed, attempts and last error
    /// (control characters escaped).
    public static func line(_ event: JournalEvent) -> String {
        var text = "#\(event.id) \(event.state.rawValue) \(event.kind.rawValue) \(event.repository) \(detail(event.payload))"
        if event.attempts > 0 { text += " attempts=\(event.attempts)" }
        if event.state == .failed {
            text += event.nextAttemptAt.map { " retry-at=\(iso($0))" }
                ?? (event.permanent ? " permanent (not retried; wptsync retry \(event.id) or wptsync events drop \(event.id))"
                                    : " (retry by hand: wptsync retry \(event.id))")
        }
        if let note = event.dropped { text += " dropped \(note.text)" }
        if let error = event.lastError { text += " error=\"\(error)\"" }
        return ControlCharacters.escaped(text)
    }

    /// One JSON object.
    public static func json(_ event: JournalEvent) -> String {
        var object: [String: Any] = [
            "id": event.id, "state": event.state.rawValue, "kind": event.kind.rawValue,
            "repository": event.repository, "attempts": event.attempts, "received_at": iso(event.receivedAt),
            "detail": detail(event.payload),
        ]
        if let next = event.nextAttemptAt { object["next_attempt_at"] = iso(next) }
        if let error = event.lastError { object["last_error"] = error }
        if event.permanent { object["permanent"] = true }
        if let note = event.dropped {
            object["dropped"] = ["by": note.by, "at": iso(note.since), "reason": note.reason]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func detail(_ payload: EventPayload) -> String {
        switch payload {
        case .hgPush(let push):
            "\(push.source) \(push.firstNode.prefix(12))" + (push.lastNode == push.firstNode ? "" : "..\(push.lastNode.prefix(12))")
        case .gitPush(let push):
            push.updates.map { "\($0.ref) \($0.old.prefix(12))..\($0.new.prefix(12))" }.joined(separator: ", ")
        case .gitHubDelivery(let delivery):
            "\(delivery.summary) (delivery \(delivery.delivery))"
        }
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
