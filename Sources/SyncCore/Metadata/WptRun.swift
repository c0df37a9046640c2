extension WPTReport {
    /// Each test's results across `reports`, one per run, keyed by test id (`/dir/test.html?query`).
    public static func runs(_ reports: [WPTReport]) -> [String: [WptRun]] {
        var runs: [String: [WptRun]] = [:]
        for report in reports {
            for result in report.results {
                runs[result.test, default: []].append(WptRun(runInfo: report.runInfo, status: result.status,
                                                              subtests: result.subtests.map { ($0.name, $0.status) }))
            }
        }
        return runs
    }
}

/// One run of one test: its configuration, its status and its subtests' statuses in order.
public struct WptRun: Sendable, Equatable {
    public var runInfo: RunInfo
    public var status: String
    public var subtests: [(name: String, status: String)]

    public init(runInfo: RunInfo, status: String, subtests: [(name: String, status: String)] = []) {
        self.runInfo = runInfo
        self.status = status
        self.subtests = subtests
    }

    public static func == (a: WptRun, b: WptRun) -> Bool {
        a.runInfo == b.runInfo && a.status == b.status && a.subtests.elementsEqual(b.subtests) { $0 == $1 }
    }
}
