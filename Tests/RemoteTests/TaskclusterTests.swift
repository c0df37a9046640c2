import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// The Taskcluster client against the local queue and index over loopback HTTP.
@Suite("Taskcluster client and local queue")
struct TaskclusterTests {
    let queue: LocalTaskcluster
    let sleeper = RecordingSleeper()
    let client: TaskclusterClient
    let push: ScheduledTryPush
    static let revision = String(repeating: "ab", count: 20)
    static let tests = ["/dom/a.html", "/dom/b.html"]

    init() throws {
        queue = try LocalTaskcluster(pageSize: 3, tokens: ["tc-secret-token-0123"])
        var client = TaskclusterClient(rootURL: queue.rootURL, token: Token("tc-secret-token-0123"), http: testClient(sleeper: sleeper))
        client.timeout = .seconds(5)
        self.client = client
        push = queue.scheduleTryPush(revision: Self.revision, tests: Self.tests)
    }

    private func requests(_ pathPart: String) -> [RecordedRequest] { queue.requests.filter { $0.path.contains(pathPart) } }

    @Test func theDecisionTaskIsFoundByRevisionAndAnUnknownRevisionIsNil() throws {
        #expect(try client.decisionTaskID(project: "try", revision: Self.revision) == push.decisionTaskID)
        #expect(try client.decisionTaskID(project: "try", revision: String(repeating: "0", count: 40)) == nil)
        #expect(try client.decisionTaskID(project: "autoland", revision: Self.revision) == nil)
        // A server that is not Taskcluster answering 404 is not "no decision task yet".
        let elsewhere = try LocalTreestatus(trees: [])
        let misconfigured = TaskclusterClient(rootURL: "http://127.0.0.1:\(elsewhere.port)", http: client.http)
        #expect(throws: RemoteError.self) { try misconfigured.decisionTaskID(project: "try", revision: Self.revision) }
    }

    @Test func theTaskGroupIsListedAcrossThreePagesWithContinuationTokens() throws {
        var pages: [Int] = []
        let entries = try client.taskGroup(push.decisionTaskID) { pages.append($0.tasks.count) }
        // Decision + (build + wpt) per platform = 7 tasks: pages of 3, 3 and 1.
        #expect(pages == [3, 3, 1])
        #expect(Set(entries.map(\.status.taskId)).count == 7)
        let lists = requests("/task-group/")
        #expect(lists.count == 3 && lists[0].query["continuationToken"] == nil
            && lists[1].query["continuationToken"] != nil && lists[2].query["continuationToken"] != lists[1].query["continuationToken"])
        let tasks = entries.map(\.tryTask)
        #expect(TryRunState.wptTasks(tasks).map(\.taskID) == push.wptTasks.map(\.taskID))
        #expect(TryRunState.verdict(tasks) == .running(waitingFor: 6))
        queue.resolveAll(group: push.decisionTaskID)
        #expect(TryRunState.verdict(try client.taskGroup(push.decisionTaskID).map(\.tryTask)) == .complete)
    }

    @Test func aForgedContinuationTokenIsRefused() throws {
        let url = "\(queue.rootURL)/api/queue/v1/task-group/\(push.decisionTaskID)/list?continuationToken=bm9wZTo0"
        let error = try #require(throws: RemoteError.self) { try client.http.send(HTTPRequest(.get, url)) }
        #expect(error.httpStatus == 400 && "\(error)".contains("InvalidRequestArguments"), "\(error)")
    }

    @Test func theReportIsFetchedThroughThe303WithTheScriptedResults() throws {
        let wpt = push.wptTasks[0]
        let results = [WPTTestResult(test: "/dom/a.html", status: "OK", subtests: [
            WPTSubtestResult(name: "first", status: "FAIL", expected: "PASS", message: "assert_true: nope"),
        ])]
        queue.scriptResults(group: push.decisionTaskID, label: wpt.label, runs: [results])
        queue.setState(wpt.taskID, .running)
        queue.setState(wpt.taskID, .failed)
        #expect(try client.artifacts(wpt.taskID).map(\.name).contains("public/test_info/wptreport.json"))
        let report = try client.wptReport(wpt.taskID)
        #expect(report.results == results)
        #expect(report.runInfo == ["os": .string("linux"), "debug": .bool(false), "processor": .string("x86_64"), "bits": .number(64)])
        let artifactRequests = queue.requests.filter { $0.path.contains("wptreport.json") }
        #expect(artifactRequests.map(\.status) == [303, 200])
        #expect(artifactRequests.last?.path.hasPrefix("/_blob/") == true)
        // A task that ran nothing scripted reports its tests as OK.
        queue.setState(push.wptTasks[2].taskID, .completed)
        #expect(try client.wptReport(push.wptTasks[2].taskID).results.map(\.test) == Self.tests)
    }

    @Test func aRetriggerIsANewTaskOfTheGroupThatGetsTheNextScriptedResult() throws {
        let wpt = push.wptTasks[1]
        let first = [WPTTestResult(test: "/dom/a.html", status: "TIMEOUT", expected: "OK")]
        let second = [WPTTestResult(test: "/dom/a.html", status: "OK")]
        queue.scriptResults(group: push.decisionTaskID, label: wpt.label, runs: [first, second])
        #expect(queue.setState(wpt.taskID, .failed))
        queue.resolveAll(group: push.decisionTaskID)
        #expect(!queue.setState(wpt.taskID, .completed), "a resolved run does not change")
        let tasks = try client.taskGroup(push.decisionTaskID).map(\.tryTask)
        let wanted = TryRunState.retriggers(tasks, runsPerFailure: 2)
        #expect(wanted == [Retrigger(taskID: wpt.taskID, name: wpt.label, count: 1)])

        let clone = try client.retrigger(wanted[0].taskID)
        #expect(clone != wpt.taskID && SlugID.isValid(clone))
        let group = try client.taskGroup(push.decisionTaskID)
        let copy = try #require(group.first { $0.status.taskId == clone })
        #expect(copy.task.metadata.name == wpt.label && copy.status.state == .pending && copy.task.extra?.suite == "web-platform-tests")
        #expect(TryRunState.retriggers(group.map(\.tryTask), runsPerFailure: 2).isEmpty)
        queue.setState(clone, .completed)
        #expect(try client.wptReport(wpt.taskID).results == first)
        #expect(try client.wptReport(clone).results == second)
        let put = try #require(queue.requests.first { $0.method == "PUT" })
        #expect(put.headers["authorization"] == "Bearer tc-secret-token-0123")
        #expect(!put.body.contains("index."), "the clone must not take over the original's index routes")
    }

    @Test func createTaskWithoutTheTokenIsRefusedWithAClearError() throws {
        var anonymous = client
        anonymous.token = nil
        let error = try #require(throws: RemoteError.self) { try anonymous.retrigger(push.wptTasks[0].taskID) }
        #expect(error.httpStatus == 403 && "\(error)".contains("InsufficientScopes"), "\(error)")
        #expect(queue.tasks(group: push.decisionTaskID).count == 7)
    }

    @Test func aServerErrorOnceThenSuccessIsRetried() throws {
        queue.injectFault(.serverError(status: 503), count: 1, pathPrefix: "/api/queue/v1/task-group/")
        #expect(try client.taskGroup(push.decisionTaskID).count == 7)
        #expect(requests("/task-group/").map(\.status) == [503, 200, 200, 200])
        #expect(sleeper.delays.count == 1)
    }

    @Test func aCreateTaskAnsweredWith5xxAfterActingIsSentAgainAndMakesOneTask() throws {
        queue.injectFault(.serverErrorAfterActing(status: 502), count: 1, method: "PUT")
        let clone = try client.retrigger(push.wptTasks[0].taskID)
        #expect(queue.requests.filter { $0.method == "PUT" }.map(\.status) == [502, 200])
        #expect(queue.tasks(group: push.decisionTaskID).filter { $0.taskID == clone }.count == 1)
        #expect(queue.tasks(group: push.decisionTaskID).count == 8)
    }

    @Test func aHangingQueueTimesOut() throws {
        var impatient = client
        impatient.timeout = .milliseconds(300)
        impatient.http.retryPolicy = .never
        queue.injectFault(.hang, count: 1)
        let error = try #require(throws: RemoteError.self) { try impatient.status(push.wptTasks[0].taskID) }
        guard case .timeout(.get, let url, _) = error else { Issue.record("not a timeout: \(error)"); return }
        #expect(url.contains("/status"))
        // With retries, the next attempt gets through.
        queue.injectFault(.hang, count: 1)
        var patient = impatient
        patient.http.retryPolicy = RetryPolicy(maxAttempts: 2)
        #expect(try patient.status(push.wptTasks[0].taskID).state == .pending)
    }

    @Test func aMissingOrWrongReportIsAClearError() throws {
        let (missing, wrong) = (push.wptTasks[0].taskID, push.wptTasks[1].taskID)
        queue.resolveAll(group: push.decisionTaskID)
        queue.breakArtifact(missing, .missing)
        queue.breakArtifact(wrong, .wrongContent("<html>Bad gateway</html>"))
        #expect(try !client.artifacts(missing).map(\.name).contains("public/test_info/wptreport.json"))
        let absent = try #require(throws: RemoteError.self) { try client.wptReport(missing) }
        #expect(absent.httpStatus == 404 && "\(absent)".contains(missing) && "\(absent)".contains("public/test_info/wptreport.json"), "\(absent)")
        let garbled = try #require(throws: RemoteError.self) { try client.wptReport(wrong) }
        #expect("\(garbled)".contains("wptreport.json of task \(wrong)") && "\(garbled)".contains("<html>Bad gateway"), "\(garbled)")
        // A pending task has not published anything yet.
        let pending = queue.scheduleTryPush(revision: String(repeating: "cd", count: 20), tests: Self.tests).wptTasks[0].taskID
        #expect(throws: RemoteError.self) { try client.wptReport(pending) }
    }

    @Test func aLostTaskGroupIs404NamingTheGroup() throws {
        queue.loseTaskGroup(push.decisionTaskID)
        #expect(try client.decisionTaskID(project: "try", revision: Self.revision) == push.decisionTaskID)
        let error = try #require(throws: RemoteError.self) { try client.taskGroup(push.decisionTaskID) }
        #expect(error.httpStatus == 404 && "\(error)".contains(push.decisionTaskID), "\(error)")
        #expect(throws: RemoteError.self) { try client.status(push.wptTasks[0].taskID) }
    }

    @Test func aTokenEchoedInAnErrorIsRedacted() throws {
        queue.injectFault(.errorMessage(status: 400, message: "bad header Bearer tc-secret-token-0123"), count: 1)
        let error = try #require(throws: RemoteError.self) { try client.retrigger(push.wptTasks[0].taskID) }
        #expect(!"\(error)".contains("tc-secret-token-0123") && "\(error)".contains("<redacted>"), "\(error)")
    }

    @Test func aTaskWithSeveralRunsReportsTheLatest() throws {
        let wpt = push.wptTasks[0]
        queue.scriptResults(group: push.decisionTaskID, label: wpt.label, runs: [
            [WPTTestResult(test: "/dom/a.html", status: "CRASH", expected: "OK")], [WPTTestResult(test: "/dom/a.html", status: "OK")],
        ])
        queue.setState(wpt.taskID, .failed)
        queue.addRun(wpt.taskID, reason: "rerun")
        #expect(try client.status(wpt.taskID).runs.map(\.state) == [.failed, .pending])
        queue.setState(wpt.taskID, .completed)
        let status = try client.status(wpt.taskID)
        #expect(status.runs.map(\.reasonCreated) == ["scheduled", "rerun"] && status.state == .completed)
        #expect(try client.wptReport(wpt.taskID).results.map(\.status) == ["OK"])
    }
}
