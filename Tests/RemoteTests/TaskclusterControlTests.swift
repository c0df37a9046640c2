import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// The local queue's control API: scheduling from a try commit's `try_task_config.json`, in
/// process and over `/_control/` HTTP.
@Suite("Local Taskcluster control API")
struct TaskclusterControlTests {
    static let config = #"{"version": 2, "parameters": {"try_task_config": {"use-artifact-builds": true, "env": {"MOZHARNESS_TEST_PATHS": "{\"web-platform-tests\": [\"/dom/a.html\"], \"web-platform-tests-reftest\": [\"/css/b.html\"], \"mochitest-plain\": [\"x\"]}"}}}}"#

    @Test func aTryTaskConfigSchedulesWptTasksForItsWptPathsOnTheConfiguredPlatforms() throws {
        let linux = TryPlatform(name: "linux1804-64-qr", buildType: "opt", os: "linux", debug: false)
        let queue = try LocalTaskcluster(platforms: [linux])
        let client = TaskclusterClient(rootURL: queue.rootURL, http: testClient())
        let push = try queue.scheduleTryPush(revision: String(repeating: "1", count: 40), tryTaskConfig: Array(Self.config.utf8))
        #expect(push.wptTasks.map(\.platform) == ["linux1804-64-qr"])
        queue.setState(push.wptTasks[0].taskID, .completed)
        #expect(try client.wptReport(push.wptTasks[0].taskID).results.map(\.test) == ["/dom/a.html", "/css/b.html"])
    }

    @Test(arguments: [
        ("[]", "not a JSON object"), (#"{"version": 1}"#, "version is not 2"), (#"{"version": 2}"#, "no parameters.try_task_config"),
        (#"{"version": 2, "parameters": {"try_task_config": {"env": {"MOZHARNESS_TEST_PATHS": ["x"]}}}}"#, "MOZHARNESS_TEST_PATHS"),
    ])
    func aBadTryTaskConfigIsRefusedNamingWhatIsWrong(config: String, complaint: String) throws {
        let queue = try LocalTaskcluster()
        let error = try #require(throws: LocalServiceError.self) {
            try queue.scheduleTryPush(revision: String(repeating: "2", count: 40), tryTaskConfig: Array(config.utf8))
        }
        #expect("\(error)".contains("try_task_config.json") && "\(error)".contains(complaint), "\(error)")
    }

    @Test func withRebuildEachPlatformsWptTaskIsMadeThatManyTimesUnderOneLabelAndScriptedResultsVaryBetweenThem() throws {
        let linux = TryPlatform(name: "linux1804-64-qr", buildType: "opt", os: "linux", debug: false)
        let queue = try LocalTaskcluster(platforms: [linux])
        let client = TaskclusterClient(rootURL: queue.rootURL, http: testClient())
        let config = Self.config.replacingOccurrences(of: #""use-artifact-builds": true"#, with: #""rebuild": 3, "use-artifact-builds": true"#)
        let push = try queue.scheduleTryPush(revision: String(repeating: "4", count: 40), tryTaskConfig: Array(config.utf8))
        #expect(push.wptTasks.count == 3 && Set(push.wptTasks.map(\.label)) == ["test-linux1804-64-qr/opt-web-platform-tests"])
        queue.scriptResults(group: push.decisionTaskID, label: push.wptTasks[0].label,
                            runs: ["OK", "TIMEOUT"].map { [WPTTestResult(test: "/dom/a.html", status: $0)] })
        queue.resolveAll(group: push.decisionTaskID)
        #expect(try push.wptTasks.map { try client.wptReport($0.taskID).results.map(\.status) } == [["OK"], ["TIMEOUT"], ["TIMEOUT"]])

        let http = testClient(policy: .never)
        let body = #"{"revision": "\#(String(repeating: "5", count: 40))", "try_task_config": \#(config)}"#
        let reply = try http.send(HTTPRequest(.post, "\(queue.rootURL)/_control/try-push", body: Array(body.utf8)))
        let scheduled = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
        #expect((scheduled["wptTasks"] as? [[String: String]])?.count == 3)
        let wrong = Self.config.replacingOccurrences(of: #""use-artifact-builds": true"#, with: #""rebuild": 30, "use-artifact-builds": true"#)
        let error = try #require(throws: LocalServiceError.self) {
            try queue.scheduleTryPush(revision: String(repeating: "6", count: 40), tryTaskConfig: Array(wrong.utf8))
        }
        #expect("\(error)".contains("rebuild is not a whole number from 2 to 20"), "\(error)")
    }

    @Test func theControlEndpointsScheduleAndMoveTasksOverHTTP() throws {
        let queue = try LocalTaskcluster()
        let http = testClient(policy: .never)
        let revision = String(repeating: "3", count: 40)
        let body = #"{"revision": "\#(revision)", "try_task_config": \#(Self.config)}"#
        let reply = try http.send(HTTPRequest(.post, "\(queue.rootURL)/_control/try-push", body: Array(body.utf8)))
        let scheduled = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
        let wpt = try #require((scheduled["wptTasks"] as? [[String: String]])?.first?["taskId"])
        let client = TaskclusterClient(rootURL: queue.rootURL, http: http)
        #expect(try client.decisionTaskID(project: "try", revision: revision) == scheduled["decisionTaskId"] as? String)
        _ = try http.send(HTTPRequest(.post, "\(queue.rootURL)/_control/task/\(wpt)/state", body: Array(#"{"state": "failed"}"#.utf8)))
        #expect(try client.status(wpt).state == .failed)
        let again = try #require(throws: RemoteError.self) {
            try http.send(HTTPRequest(.post, "\(queue.rootURL)/_control/task/\(wpt)/state", body: Array(#"{"state": "running"}"#.utf8)))
        }
        #expect(again.httpStatus == 409 && "\(again)".contains("already resolved"), "\(again)")
    }
}
