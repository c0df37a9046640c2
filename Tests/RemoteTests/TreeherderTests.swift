import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// The Treeherder client against the local Treeherder, which serves the local queue's tasks.
@Suite("Treeherder client and local Treeherder")
struct TreeherderTests {
    let queue: LocalTaskcluster
    let treeherder: LocalTreeherder
    let sleeper = RecordingSleeper()
    let client: TreeherderClient
    let push: ScheduledTryPush
    static let revision = String(repeating: "ef", count: 20)

    init() throws {
        queue = try LocalTaskcluster()
        treeherder = try LocalTreeherder(taskcluster: queue, pageSize: 2)
        client = TreeherderClient(baseURL: treeherder.baseURL, http: testClient(sleeper: sleeper))
        push = queue.scheduleTryPush(revision: Self.revision, tests: ["/dom/a.html"], author: "wptsync@mozilla.com")
    }

    @Test func thePushIsFoundByRevisionAndAnUnknownOneIsNil() throws {
        let found = try #require(try client.push(repository: "try", revision: Self.revision))
        #expect(found.id == push.pushID && found.author == "wptsync@mozilla.com" && found.revision == Self.revision)
        #expect(try client.push(repository: "try", revision: String(repeating: "0", count: 40)) == nil)
        #expect(throws: RemoteError.self) { try client.push(repository: "no-such-repo", revision: Self.revision) }
    }

    @Test func jobsArePagedOnePerTaskWithStatesAndResults() throws {
        let build = push.builds[0].taskID
        let (failed, broken) = (push.wptTasks[0].taskID, push.wptTasks[1].taskID)
        queue.setState(build, .failed)
        queue.setState(failed, .failed)
        queue.setState(broken, .exception, reason: "worker-shutdown")
        queue.setState(push.wptTasks[2].taskID, .running)
        let jobs = try client.jobs(pushID: push.pushID)
        // 7 tasks, 2 per page: 4 pages.
        #expect(queue.requests.filter { $0.path == "/api/jobs/" }.count == 4)
        #expect(jobs.count == 7 && Set(jobs.map(\.taskID)) == Set(queue.tasks(group: push.decisionTaskID).map(\.taskID)))
        func job(_ task: String) -> TreeherderJob? { jobs.first { $0.taskID == task } }
        #expect(job(push.decisionTaskID)?.result == "success")
        #expect(job(build).map { [$0.state, $0.result] } == ["completed", "busted"])
        #expect(job(failed).map { [$0.state, $0.result] } == ["completed", "testfailed"])
        #expect(job(broken)?.result == "exception")
        #expect(job(push.wptTasks[2].taskID).map { [$0.state, $0.result] } == ["running", "unknown"])
        #expect(job(push.builds[1].taskID)?.state == "pending")
        #expect(job(failed)?.platform == "linux1804-64-qr" && job(failed)?.platformOption == "opt"
            && job(failed)?.failureClassificationID == 1 && job(failed)?.jobTypeName == push.wptTasks[0].label)
    }

    @Test func aServiceUnavailableOnceIsRetried() throws {
        treeherder.failNext(1)
        #expect(try client.jobs(pushID: push.pushID).count == 7)
        #expect(sleeper.delays.count == 1)
    }

    @Test func notesAreAddedToAJobAndListedAndBadRequestsAreRefused() throws {
        let job = try #require(try client.jobs(pushID: push.pushID).first { $0.taskID == push.wptTasks[0].taskID })
        #expect(try client.notes(repository: "try", jobID: job.id).isEmpty)
        try client.addNote(repository: "try", jobID: job.id, text: "autoland held this push")
        let notes = try client.notes(repository: "try", jobID: job.id)
        #expect(notes.map(\.text) == ["autoland held this push"] && notes.map(\.jobId) == [job.id] && notes.map(\.failureClassificationId) == [1])
        #expect(treeherder.notes(jobID: job.id).map(\.text) == ["autoland held this push"])
        #expect(throws: RemoteError.self) { try client.addNote(repository: "try", jobID: 9999, text: "x") }
        #expect(throws: RemoteError.self) { try client.addNote(repository: "try", jobID: job.id, text: "x", classification: 42) }
        #expect(treeherder.notes(jobID: job.id).count == 1, "nothing added by the refused requests")
    }
}
