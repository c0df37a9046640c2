import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// "Never undo a person's edit", end to end: the bug's history on the local Bugzilla decides.
@Suite("Bugzilla field ownership against the local Bugzilla")
struct BugzillaOwnershipTests {
    @Test func aComponentAPersonMovedIsLeftWhileTheToolsOwnFieldsStillChange() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        var lastSet = ["product": "Testing", "component": "web-platform-tests", "whiteboard": "[wptsync downstream]"]

        let first = try w.client.updateOwnedFields(
            id, wanted: ["product": "Core", "component": "Layout: Grid"], lastSet: lastSet, toolAccount: BugzillaWorld.bot)
        #expect(first.changes["component"]?.added == "Layout: Grid" && first.leftAlone.isEmpty)
        lastSet["product"] = "Core"
        lastSet["component"] = "Layout: Grid"

        _ = try w.personClient.update(id, BugUpdate(fields: ["component": "Layout: Flexbox"]))

        let later = try w.client.updateOwnedFields(
            id, wanted: ["product": "Core", "component": "Layout", "whiteboard": "[wptsync downstream] [try-done]"], lastSet: lastSet,
            toolAccount: BugzillaWorld.bot, comment: "Results are in.")
        #expect(later.changes.keys.sorted() == ["whiteboard"])
        #expect(later.leftAlone.keys.sorted() == ["component", "product"], "the product goes with the component")
        guard case let .changedByPerson(who, _, value)? = later.leftAlone["component"] else {
            Issue.record("the component was not left alone: \(later)")
            return
        }
        #expect(who == BugzillaWorld.person && value == "Layout: Flexbox")
        let bug = try #require(w.server.bug(id))
        #expect(bug.fields["component"] == "Layout: Flexbox", "the person's choice stands")
        #expect(bug.fields["whiteboard"] == "[wptsync downstream] [try-done]" && bug.comments.last == "Results are in.")
    }

    @Test func aFieldAPersonSetBackIsStillTheirs() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        _ = try w.personClient.update(id, BugUpdate(fields: ["whiteboard": "[triaged]"]))
        _ = try w.personClient.update(id, BugUpdate(fields: ["whiteboard": "[wptsync downstream]"]))
        let result = try w.client.updateOwnedFields(
            id, wanted: ["whiteboard": "[wptsync downstream] [try-pending]"],
            lastSet: ["whiteboard": "[wptsync downstream]"], toolAccount: BugzillaWorld.bot)
        #expect(result.changes.isEmpty && result.leftAlone["whiteboard"] != nil)
        #expect(w.server.requests.filter { $0.method == "PUT" }.count == 2, "nothing was sent for the bot")
    }
}
