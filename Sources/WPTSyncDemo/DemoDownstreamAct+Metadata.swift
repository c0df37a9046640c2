import Foundation
import LocalServices
import Remote
import SyncCore

/// The end of the demo's downstream act (issue 13): the stability run finds a subtest unstable on
/// Linux opt and the worker disables it; the PR merges upstream and its metadata lands in autoland
/// right after its import.
extension DemoDownstreamAct {
    static let metadataPath = "testing/web-platform/meta/css/css-grid/grid-gap.html.ini"
    static let triageContact = "wpt-triage@example.org"

    /// The results of one run of the PR's test: "column gap" fails on Linux opt (`linuxOpt`) only,
    /// "row gap" gives `rowGap` there and passes elsewhere.
    static func results(linuxOpt: Bool, rowGap: String = "PASS") -> [WPTTestResult] {
        [WPTTestResult(test: "/" + test, status: "OK", subtests: [
            WPTSubtestResult(name: "row gap", status: linuxOpt ? rowGap : "PASS"),
            WPTSubtestResult(name: "column gap", status: linuxOpt ? "FAIL" : "PASS", expected: "PASS"),
        ])]
    }

    /// Schedules try push `revision` on the local Taskcluster, each task of a label reporting the
    /// next of `rowGap` on Linux opt, and finishes it.
    func runOnTaskcluster(_ revision: String, rowGap: [String] = ["PASS"]) throws -> ScheduledTryPush {
        let config = try world.tryTaskConfig(revision)
        let scheduled = try taskcluster.scheduleTryPush(revision: revision, tryTaskConfig: Array(config.utf8))
        for label in Set(scheduled.wptTasks.map(\.label)) {
            let linuxOpt = label.contains("linux1804-64-qr/opt")
            taskcluster.scriptResults(group: scheduled.decisionTaskID, label: label,
                                      runs: rowGap.map { Self.results(linuxOpt: linuxOpt, rowGap: $0) })
        }
        taskcluster.resolveAll(group: scheduled.decisionTaskID)
        return scheduled
    }

    /// Step `step`: the stability push's ten runs per task; "row gap" flips on Linux opt and is disabled there.
    func stabilityRun(step: Int, number: Int, bug: Int) throws {
        guard let revision = try journal.downstreamSync(pullRequest: number)?.tryPushes.last?.revision else {
            throw Demo.StepFailed(description: "PR #\(number) has no stability try push")
        }
        let flips = ["PASS", "FAIL", "PASS", "PASS", "FAIL", "PASS", "PASS", "FAIL", "PASS", "PASS"]
        let scheduled = try runOnTaskcluster(revision, rowGap: flips)
        say("\(step). Taskcluster ran the stability push \(revision.prefix(12)): \(scheduled.wptTasks.count) tasks; on linux/opt"
            + " \"row gap\" passed 7 times and failed 3; the worker:")
        try drain("the stability results")
        let sync = try journal.downstreamSync(pullRequest: number)
        let ini = sync?.metadata?.files[Self.metadataPath]?.after ?? ""
        let told = comments(bug).first { $0.contains("found unstable results") }
        guard sync?.tryPushes.map(\.status) == [.complete, .complete], sync?.metadata?.error == nil,
              ini.contains("[row gap]") && ini.contains("disabled:") && ini.contains("[column gap]") && ini.contains(": FAIL"),
              let told, told.contains("row gap"), bugzilla.bug(bug)?.flags == ["needinfo?(\(Self.triageContact))"] else {
            throw Demo.StepFailed(description: "the stability run of PR #\(number) did not disable \"row gap\" (metadata: \(ini);"
                                  + " bug \(bug): \(comments(bug)), flags \(bugzilla.bug(bug)?.flags ?? []))")
        }
        say("   → the PR's metadata, \(Self.metadataPath):")
        for line in ini.split(separator: "\n") { say("       " + line) }
        say("   → bug \(bug) says what was disabled and asks \(Self.triageContact) (needinfo):")
        for line in told.split(separator: "\n") { say("       " + line) }
    }

    /// Step `step`: PR `number` merges upstream; autoland gets its import, then its metadata commit.
    func landWithMetadata(step: Int, number: Int, bug: Int) throws {
        let before = try world.autolandLog().count
        let client = GitHubClient(apiBaseURL: github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!, token: Token("demo-token"))
        _ = try client.merge(number, method: .squash)
        let head = try world.updateMirror()
        say("\(step). Upstream merged PR #\(number) \"Test grid gaps\"; the mirror's master moved to \(head.prefix(12)); the worker:")
        try drain("the merge of PR #\(number)")
        let landed = try world.autolandLog().dropFirst(before).map { $0.drop { $0 != " " }.dropFirst() }
        let ini = world.autolandFile(Self.metadataPath) ?? ""
        guard landed.count == 3, landed.first?.hasPrefix("Bug \(DemoWorld.landingBug) [wpt PR \(number)] - Test grid gaps") == true,
              landed.dropFirst().first == "Bug \(bug) [wpt PR \(number)] - Update wpt metadata, a=testonly",
              landed.last?.hasPrefix("Bug \(DemoWorld.landingBug) - [wpt-sync] Update web-platform-tests to \(head)") == true,
              ini.contains("disabled:"), ini.contains(": FAIL"), world.autolandFile("testing/web-platform/tests/" + Self.test) != nil else {
            throw Demo.StepFailed(description: "PR #\(number) and its metadata did not land in autoland (autoland has: \(landed); \(Self.metadataPath): \(ini))")
        }
        say("   → autoland has the PR's import, then its metadata commit (\(Self.metadataPath)), then the landing commit:")
        for line in landed { say("       \(line)") }
        try drain("the landing's own push")
    }
}
