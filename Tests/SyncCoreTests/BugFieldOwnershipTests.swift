import Foundation
import SyncCore
import Testing

@Suite("Bug field ownership (never undo a person's edit)")
struct BugFieldOwnershipTests {
    let bot = "wptsync@mozilla.bugs"

    func entry(_ second: Int, _ who: String, _ field: String, _ removed: String, _ added: String) -> BugHistoryEntry {
        BugHistoryEntry(when: Date(timeIntervalSince1970: Double(second)), who: who,
                        changes: [BugFieldChange(fieldName: field, removed: removed, added: added)])
    }

    @Test func untouchedOrOnlyToolChangedFieldsMayBeSet() {
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "web-platform-tests", toolAccount: bot, history: []) == .toolMaySet)
        let history = [
            entry(1, bot, "component", "web-platform-tests", "Layout: Grid"),
            entry(2, "dev@example.com", "whiteboard", "", "[perf]"),
        ]
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "Layout: Grid", toolAccount: bot, history: history) == .toolMaySet)
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "Layout: Grid", toolAccount: "WPTSYNC@mozilla.bugs",
                                         history: history) == .toolMaySet, "logins compare ignoring case")
    }

    @Test func aPersonsChangeAfterTheToolsLastSettingWins() {
        let history = [
            entry(1, bot, "component", "web-platform-tests", "Layout: Grid"),
            entry(2, "dev@example.com", "component", "Layout: Grid", "Layout: Flexbox"),
            entry(3, "other@example.com", "component", "Layout: Flexbox", "Layout"),
        ]
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "Layout: Grid", toolAccount: bot, history: history)
            == .changedByPerson(who: "other@example.com", when: Date(timeIntervalSince1970: 3), value: "Layout"))
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "web-platform-tests", toolAccount: bot, history: history)
            != .toolMaySet, "a value set at filing counts from the creation")
        #expect(BugFieldOwnership.decide(field: "component", lastSet: nil, toolAccount: bot, history: history) != .toolMaySet)
    }

    @Test func theToolsLaterSettingIsTheNewReference() {
        let history = [
            entry(1, "dev@example.com", "component", "web-platform-tests", "Layout"),
            entry(2, bot, "component", "Layout", "Layout: Grid"),
        ]
        #expect(BugFieldOwnership.decide(field: "component", lastSet: "Layout: Grid", toolAccount: bot, history: history) == .toolMaySet)
    }

    @Test func partitionSplitsWantedFields() {
        let history = [entry(1, "dev@example.com", "component", "web-platform-tests", "Layout")]
        let (set, left) = BugFieldOwnership.partition(
            wanted: ["component": "Layout: Grid", "whiteboard": "[wptsync downstream]"],
            lastSet: ["component": "web-platform-tests"], toolAccount: bot, history: history)
        #expect(set == ["whiteboard": "[wptsync downstream]"])
        #expect(left.keys.sorted() == ["component"])
    }

    @Test func linkedFieldsFollowAPersonsChoiceTogether() {
        let history = [
            entry(1, "dev@example.com", "component", "web-platform-tests", "General"),
            entry(2, "dev@example.com", "status", "NEW", "RESOLVED"),
            entry(2, "dev@example.com", "resolution", "", "FIXED"),
        ]
        let (set, left) = BugFieldOwnership.partition(
            wanted: ["product": "Core", "component": "Layout", "status": "REOPENED", "priority": "P3"],
            lastSet: ["product": "Testing", "component": "web-platform-tests", "status": "NEW"],
            toolAccount: bot, history: history)
        #expect(set == ["priority": "P3"])
        #expect(left.keys.sorted() == ["component", "product", "status"])
    }
}
