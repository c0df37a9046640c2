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
    static let accessToken = "th-access-token-1234"
    static let user = "bot@mozilla.com"
    static let credentials = TreeherderCredentials(accessToken: Token(accessToken),
                                                   idToken: Token(LocalTreeherder.idToken(email: user, expires: Date().addingTimeInterval(3600))))

    init() throws {
        queue = try LocalTaskcluster()
        treeherder = try LocalTreeherder(taskcluster: queue, pageSize: 2, users: [Self.accessToken: Self.user])
        client = TreeherderClient(baseURL: treeherder.baseURL, http: testClient(sleeper: sleeper), credentials: Self.credentials)
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

    @Test func aNoteNeedsASignedInSessionWhichIsRenewedOnceItExpires() throws {
        let job = try #require(try client.jobs(pushID: push.pushID).first { $0.taskID == push.wptTasks[0].taskID })
        let signIns = { queue.requests.filter { $0.path == "/api/auth/login/" }.count }
        try client.addNote(repository: "try", jobID: job.id, text: "one")
        try client.addNote(repository: "try", jobID: job.id, text: "two")
        #expect(signIns() == 1, "one session for both")
        treeherder.expireSessions()
        try client.addNote(repository: "try", jobID: job.id, text: "three")
        #expect(signIns() == 2, "signed in again once the session was refused")
        let posts = queue.requests.filter { $0.method == "POST" }.map(\.status)
        #expect(posts == [200, 200, 403, 200])
        #expect(treeherder.notes(jobID: job.id).map { "\($0.who): \($0.text)" } == ["\(Self.user): one", "\(Self.user): two", "\(Self.user): three"])
        let listed = try client.notes(repository: "try", jobID: job.id)
        #expect(listed.map(\.who) == [Self.user, Self.user, Self.user])

        // Without credentials the client sends nothing; an anonymous POST is what Treeherder refuses.
        let anonymous = TreeherderClient(baseURL: treeherder.baseURL, http: testClient(sleeper: sleeper))
        #expect(throws: RemoteError.tokenUnavailable(source: "Treeherder credentials",
                                                     reason: "none configured; Treeherder takes notes only from a signed-in session")) {
            try anonymous.addNote(repository: "try", jobID: job.id, text: "x")
        }
        let note = #"{"job_id": \#(job.id), "failure_classification_id": 1, "text": "x"}"#
        let refused = try testClient(sleeper: sleeper).sendReturningErrorStatus(
            HTTPRequest(.post, "\(treeherder.baseURL)/api/project/try/note/", headers: ["Content-Type": "application/json"], body: Array(note.utf8)))
        #expect(refused.status == 403 && refused.bodyText == #"{"detail":"Authentication credentials were not provided."}"#)

        // A session without its CSRF token is refused too.
        var login = HTTPRequest(.get, "\(treeherder.baseURL)/api/auth/login/")
        login.authorize(with: Token(Self.accessToken))
        login.headers["Id-Token"] = Self.credentials.idToken.revealedValue
        login.headers["Access-Token-Expires-At"] = String(try Self.credentials.idTokenExpiry())
        let cookie = try testClient(sleeper: sleeper).send(login).headers.values(for: "Set-Cookie").map { String($0.prefix { $0 != ";" }) }
        let noCSRF = try testClient(sleeper: sleeper).sendReturningErrorStatus(HTTPRequest(
            .post, "\(treeherder.baseURL)/api/project/try/note/", headers: ["Cookie": cookie.joined(separator: "; ")], body: Array(note.utf8)))
        #expect(noCSRF.status == 403 && noCSRF.bodyText == #"{"detail":"CSRF Failed: CSRF token missing."}"#)
        #expect(treeherder.notes(jobID: job.id).count == 3, "nothing added by the refused requests")
    }

    @Test(arguments: [
        ("th-access-token-1234", LocalTreeherder.idToken(email: "someone@else.com", expires: Date().addingTimeInterval(3600)),
         "Incorrect claims: please check the audience and issuer"),
        ("unknown-access-token", LocalTreeherder.idToken(email: "bot@mozilla.com", expires: Date().addingTimeInterval(3600)),
         "Incorrect claims: please check the audience and issuer"),
        ("th-access-token-1234", LocalTreeherder.idToken(email: "bot@mozilla.com", expires: Date().addingTimeInterval(-60)), "Id token is expired"),
    ])
    func wrongCredentialsAreASignInRefusalWithoutTheTokens(access: String, idToken: String, detail: String) throws {
        let job = try #require(try client.jobs(pushID: push.pushID).first)
        let wrong = TreeherderClient(baseURL: treeherder.baseURL, http: testClient(sleeper: sleeper),
                                     credentials: TreeherderCredentials(accessToken: Token(access), idToken: Token(idToken)))
        #expect {
            try wrong.addNote(repository: "try", jobID: job.id, text: "x")
        } throws: { error in
            let said = "\(error)"
            return said == "sign-in refused (GET \(treeherder.baseURL)/api/auth/login/ answered HTTP 403: {\"detail\":\"\(detail)\"}); check the configured credentials"
                && !said.contains(access) && !said.contains(idToken)
        }
        #expect(queue.requests.filter { $0.method == "POST" }.isEmpty && treeherder.notes(jobID: job.id).isEmpty)
    }

    @Test func anIdTokenThatIsNoJWTIsSaidBeforeAnythingIsSent() throws {
        let job = try #require(try client.jobs(pushID: push.pushID).first)
        let sent = queue.requests.count
        let bad = TreeherderClient(baseURL: treeherder.baseURL, http: testClient(sleeper: sleeper),
                                   credentials: TreeherderCredentials(accessToken: Token(Self.accessToken), idToken: Token("not-a-jwt")))
        #expect(throws: RemoteError.decoding(type: "the Treeherder id token", field: "exp", message: "not a JSON Web Token with an `exp` claim")) {
            try bad.addNote(repository: "try", jobID: job.id, text: "x")
        }
        #expect(queue.requests.count == sent)
    }
}
