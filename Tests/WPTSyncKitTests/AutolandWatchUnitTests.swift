import Foundation
import LocalServices
import Remote
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// Retriggers under derived task ids against the local Taskcluster: repeating one clones nothing more.
@Suite("Autoland retriggers")
struct AutolandRetriggerTests {
    @Test func aRepeatedRetriggerIsRefusedByTheQueueAndTakenAsDone() throws {
        let queue = try LocalTaskcluster()
        let treeherder = try LocalTreeherder(taskcluster: queue)
        let push = queue.scheduleTryPush(project: "try", revision: String(repeating: "a", count: 40), tests: ["/a.html"])
        let failed = try #require(push.wptTasks.first)
        queue.setState(failed.taskID, .failed)
        var taskcluster = TaskclusterClient(rootURL: queue.rootURL)
        let start = Date()
        taskcluster.now = { start }
        var watch = AutolandWatch(treeherder: TreeherderClient(baseURL: treeherder.baseURL), taskcluster: taskcluster)
        let request = AutolandRequest(id: 3, repository: "try", tip: String(repeating: "a", count: 40), nodes: [], requester: "a",
                                      tree: "autoland", bugs: [], receivedAt: Date())
        let retrigger = Retrigger(taskID: failed.taskID, name: failed.label, count: 1)
        let first = try watch.retrigger(retrigger, issued: 0, request: request)
        // Repeated later (after a crash): the definition's times differ, so the queue answers 409.
        taskcluster.now = { start.addingTimeInterval(60) }
        watch = AutolandWatch(treeherder: watch.treeherder, taskcluster: taskcluster)
        let again = try watch.retrigger(retrigger, issued: 0, request: request)
        #expect(first == again && first == [AutolandRun.retriggerTaskID(request: 3, tip: request.tip, label: failed.label, index: 0)])
        #expect(queue.tasks(group: push.decisionTaskID).filter { $0.label == failed.label }.count == 2, "the original and one clone")
        let puts = queue.requests.filter { $0.method == "PUT" && $0.path.hasSuffix("/task/\(first[0])") }.map(\.status)
        #expect(puts == [200, 409])
        let jobs = try watch.jobs(request)
        #expect(jobs.filter { $0.name == failed.label }.map(\.taskID) == [failed.taskID] + first)
    }
}

/// Item 4: Treeherder's tokens are read at each sign-in, so a token file replaced while the worker
/// runs is used at its next sign-in, without a restart.
@Suite("Autoland's Treeherder tokens")
struct AutolandTreeherderTokenTests {
    @Test func aReplacedTokenFileIsUsedAtTheNextSignIn() throws {
        let dir = TempDir("treeherder-tokens")
        let queue = try LocalTaskcluster()
        let (old, new) = ("old@mozilla.com", "new@mozilla.com")
        let treeherder = try LocalTreeherder(taskcluster: queue, users: ["access-old": old, "access-new": new])
        let push = queue.scheduleTryPush(project: "try", revision: String(repeating: "b", count: 40), tests: ["/a.html"])
        let expires = Date().addingTimeInterval(3600)
        func tokens(_ access: String, _ email: String) throws {
            try writeFile(dir.sub("access"), access + "\n")
            try writeFile(dir.sub("id"), LocalTreeherder.idToken(email: email, expires: expires) + "\n")
        }
        try tokens("access-old", old)
        var settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland"])
        settings.treeherderURL = treeherder.baseURL
        settings.taskclusterURL = queue.rootURL
        settings.treeherderAccessToken = .file(dir.sub("access"))
        settings.treeherderIDToken = .file(dir.sub("id"))
        let watch = try #require(try AutolandWatch.make(settings, redactor: .none, environment: [:]))
        let job = try #require(try watch.treeherder.jobs(pushID: push.pushID).first)

        try watch.treeherder.addNote(repository: "try", jobID: job.id, text: "one")
        try tokens("access-new", new)
        try watch.treeherder.addNote(repository: "try", jobID: job.id, text: "two")
        treeherder.expireSessions()
        try watch.treeherder.addNote(repository: "try", jobID: job.id, text: "three")
        #expect(treeherder.notes(jobID: job.id).map { "\($0.who): \($0.text)" } == ["\(old): one", "\(old): two", "\(new): three"],
                "the session signed in with the old tokens lasts; the next sign-in reads the new files")
    }
}
