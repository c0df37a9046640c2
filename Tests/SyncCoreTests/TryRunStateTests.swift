import Foundation
import SyncCore
import Testing

@Suite("Try run state (pure)")
struct TryRunStateTests {
    private func task(_ id: String, _ state: TaskState, kind: String = "test", suite: String? = "web-platform-tests",
                      name: String? = nil, after dependencies: [String] = []) -> TryTask {
        TryTask(taskID: id, name: name ?? "label-\(id)", kind: kind, suite: suite, state: state, dependencies: dependencies)
    }

    private var decision: TryTask { task("D", .completed, kind: "decision-task", suite: nil) }
    private var build: TryTask { task("B", .completed, kind: "build", suite: nil, after: ["D"]) }

    @Test("wpt tasks are those whose extra.suite starts with web-platform-tests")
    func wptTasks() {
        let tasks = [decision, build, task("1", .pending, suite: "web-platform-tests-reftest"),
                     task("2", .pending, suite: "mochitest-plain"), task("3", .pending, suite: nil),
                     task("4", .pending, suite: "web-platform-tests")]
        #expect(TryRunState.wptTasks(tasks).map(\.taskID) == ["1", "4"])
    }

    @Test("pending or running tasks keep the run incomplete")
    func pendingOrRunning() {
        #expect(TryRunState.verdict([decision, build, task("1", .running), task("2", .completed)]) == .running(waitingFor: 1))
        #expect(!TryRunState.isComplete([decision, task("B", .pending, kind: "build", suite: nil), task("1", .completed)]))
        #expect(TryRunState.verdict([decision, build, task("1", .completed), task("2", .failed)]) == .complete)
    }

    @Test("an unscheduled task is done once all its dependencies are resolved, also through other unscheduled ones")
    func unscheduledBehindResolved() {
        let failedBuild = task("B", .failed, kind: "build", suite: nil, after: ["D"])
        let blocked = [decision, failedBuild, task("1", .unscheduled, after: ["B"]), task("2", .unscheduled, after: ["1"])]
        #expect(TryRunState.isComplete(blocked))
        let waiting = [decision, task("B", .running, kind: "build", suite: nil), task("1", .unscheduled, after: ["B"]),
                       task("2", .unscheduled, after: ["1"])]
        #expect(TryRunState.unfinished(waiting).map(\.taskID) == ["B", "1", "2"])
        // A dependency outside the group (a cached toolchain) counts as resolved.
        #expect(TryRunState.isComplete([decision, task("1", .unscheduled, after: ["elsewhere"])]))
    }

    @Test("a failed build is an infrastructure failure")
    func failedBuild() {
        let tasks = [decision, task("B", .failed, kind: "build", suite: nil, name: "build-linux64/opt"),
                     task("1", .unscheduled, after: ["B"]), task("2", .completed)]
        #expect(TryRunState.verdict(tasks) == .infrastructureFailure(reason: "build failed: build-linux64/opt"))
    }

    @Test("more than 30% of wpt tasks in exception is an infrastructure failure; 30% is not")
    func exceptionShare() {
        let ten = (0..<10).map { task("\($0)", $0 < 3 ? .exception : .completed) }
        #expect(TryRunState.verdict([decision, build] + ten) == .complete)
        let four = (0..<10).map { task("\($0)", $0 < 4 ? .exception : .failed) }
        #expect(TryRunState.verdict([decision, build] + four)
            == .infrastructureFailure(reason: "4 of 10 web-platform-tests tasks ended in exception (more than 30%)"))
        // Exceptions of other suites do not count.
        let other = [task("m", .exception, suite: "mochitest"), task("n", .exception, suite: "mochitest"), task("w", .completed)]
        #expect(TryRunState.verdict([decision, build] + other) == .complete)
    }

    @Test("a group without any wpt task tells nothing about the tests")
    func noWPTTask() {
        #expect(TryRunState.verdict([decision, build]) == .infrastructureFailure(reason: "no web-platform-tests task in the task group"))
    }

    @Test("failed wpt labels are retriggered up to the wanted number of tasks; retriggers keep the label")
    func retriggers() {
        let tasks = [
            decision, build,
            task("1", .failed, name: "wpt-linux"), task("2", .completed, name: "wpt-win"),
            task("3", .exception, name: "wpt-mac"), task("4", .failed, name: "wpt-debug"),
            task("5", .pending, name: "wpt-debug"), task("6", .failed, kind: "build", suite: nil, name: "build"),
        ]
        #expect(TryRunState.retriggers(tasks, runsPerFailure: 3) == [
            Retrigger(taskID: "1", name: "wpt-linux", count: 2), Retrigger(taskID: "4", name: "wpt-debug", count: 1),
        ])
        #expect(TryRunState.retriggers(tasks, runsPerFailure: 2) == [Retrigger(taskID: "1", name: "wpt-linux", count: 1)])
        #expect(TryRunState.retriggers(tasks, runsPerFailure: 1).isEmpty)
    }

    @Test("slugids are 22 URL-safe characters that never start with a dash")
    func slugIDs() {
        let id = SlugID.make(from: Array(repeating: 0xff, count: 16))
        #expect(id == "f____________________w", "the first bit is cleared")
        #expect(SlugID.isValid(id))
        #expect(SlugID.make(from: Array(0..<16)) == "AAECAwQFBgcICQoLDA0ODw")
        #expect(!SlugID.isValid("-AECAwQFBgcICQoLDA0ODw") && !SlugID.isValid("short") && !SlugID.isValid("AAECAwQFBgcICQoLDA0O/w"))
    }

    @Test("a wptreport round-trips in wptrunner's key names, expected omitted when equal")
    func wptReportKeys() throws {
        let text = #"{"run_info":{"os":"linux","debug":false,"bits":64},"time_start":1,"results":[{"test":"/a.html","status":"ERROR","expected":"OK","known_intermittent":["TIMEOUT"],"subtests":[{"name":"x","status":"FAIL","expected":"PASS"}]}]}"#
        let report = try JSONDecoder().decode(WPTReport.self, from: Data(text.utf8))
        #expect(report.runInfo == ["os": .string("linux"), "debug": .bool(false), "bits": .number(64)])
        #expect(report.results[0].knownIntermittent == ["TIMEOUT"] && report.results[0].subtests[0].expected == "PASS")
        let again = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(again.contains(#""known_intermittent":["TIMEOUT"]"#) && again.contains(#""run_info""#))
        let plain = String(decoding: try JSONEncoder().encode(WPTTestResult(test: "/b.html", status: "OK")), as: UTF8.self)
        #expect(!plain.contains("expected"))
    }
}
