import Foundation

/// One entry of a bug's history (`GET /rest/bug/{id}/history`): who changed which fields when.
public struct BugHistoryEntry: Sendable, Equatable, Decodable {
    public var when: Date
    /// The account's login (an email address).
    public var who: String
    public var changes: [BugFieldChange]

    public init(when: Date, who: String, changes: [BugFieldChange]) {
        self.when = when
        self.who = who
        self.changes = changes
    }
}

/// One field's change in a history entry, under the field's REST name (`component`, `status`,
/// `whiteboard`, `flagtypes.name`…).
public struct BugFieldChange: Sendable, Equatable, Decodable {
    public var fieldName: String
    public var removed: String
    public var added: String

    public init(fieldName: String, removed: String, added: String) {
        self.fieldName = fieldName
        self.removed = removed
        self.added = added
    }

    enum CodingKeys: String, CodingKey {
        case fieldName = "field_name", removed, added
    }
}

/// "Never undo a person's edit": wptsync sets a bug field again only while nobody else has
/// changed it since wptsync last set it.
public enum BugFieldOwnership {
    public enum Decision: Sendable, Equatable {
        /// Nobody but wptsync changed the field since it set `lastSet` (or ever, when it never set it).
        case toolMaySet
        /// `who` changed the field to `value` at `when` (the latest such change): leave it.
        case changedByPerson(who: String, when: Date, value: String)
    }

    /// Whether wptsync (account `toolAccount`) may set `field` now. `history` is in Bugzilla's
    /// order, oldest first (entries in the same second keep their order).
    ///
    /// The point of reference is wptsync's latest change of `field` to `lastSet` in `history`, or
    /// the bug's creation when there is none (wptsync filed the bug with that value, or never set
    /// the field: `lastSet` nil). A change of the field by any other account after that point
    /// means a person decided, and the answer is `.changedByPerson`. Accounts are compared
    /// ignoring case, as Bugzilla logins are.
    public static func decide(field: String, lastSet: String?, toolAccount: String, history: [BugHistoryEntry]) -> Decision {
        let tool = toolAccount.lowercased()
        let changes = history.flatMap { entry in
            entry.changes.filter { $0.fieldName == field }.map { (who: entry.who, when: entry.when, change: $0) }
        }
        let start = lastSet.flatMap { value in
            changes.lastIndex { $0.who.lowercased() == tool && $0.change.added == value }.map { $0 + 1 }
        } ?? 0
        guard let person = changes[start...].last(where: { $0.who.lowercased() != tool }) else { return .toolMaySet }
        return .changedByPerson(who: person.who, when: person.when, value: person.change.added)
    }

    /// Fields that only make sense together: a person's choice of one keeps the other too (a
    /// component belongs to its product; a resolution goes with its status).
    public static let linkedFields: [Set<String>] = [["product", "component"], ["status", "resolution"]]

    /// Splits `wanted` (field → value wptsync wants) into what it may set and what it leaves,
    /// with the reason; `lastSet` holds the value wptsync last set per field. A field linked to
    /// one a person changed is left with that person's reason.
    public static func partition(
        wanted: [String: String], lastSet: [String: String], toolAccount: String, history: [BugHistoryEntry]
    ) -> (set: [String: String], left: [String: Decision]) {
        var set: [String: String] = [:]
        var left: [String: Decision] = [:]
        for (field, value) in wanted {
            let group = linkedFields.first { $0.contains(field) } ?? [field]
            let decisions = group.sorted().map {
                decide(field: $0, lastSet: lastSet[$0], toolAccount: toolAccount, history: history)
            }
            if let refusal = decisions.first(where: { $0 != .toolMaySet }) { left[field] = refusal } else { set[field] = value }
        }
        return (set, left)
    }
}
