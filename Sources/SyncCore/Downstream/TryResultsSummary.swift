/// What a complete try run's reports say, per platform: how many tests and subtests ran, and how
/// many of them gave a status other than the expected one (known intermittents are expected).
public struct TryResultsSummary: Sendable, Equatable {
    public struct Platform: Sendable, Equatable {
        /// From the task label, `linux1804-64-qr/opt`; else `os` and `opt`/`debug` from `run_info`.
        public var name: String
        public var tests: Int
        public var unexpectedTests: Int
        public var subtests: Int
        public var unexpectedSubtests: Int

        public init(name: String, tests: Int, unexpectedTests: Int, subtests: Int, unexpectedSubtests: Int) {
            self.name = name; self.tests = tests; self.unexpectedTests = unexpectedTests
            self.subtests = subtests; self.unexpectedSubtests = unexpectedSubtests
        }
    }

    /// By name.
    public var platforms: [Platform]

    /// Summarises `reports`, each with the label of the task that published it. A test (or
    /// subtest) run by several tasks of one platform (chunks, retriggers) counts once, as
    /// unexpected if any run of it was.
    public init(_ reports: [(label: String, report: WPTReport)]) {
        // Platform → test (or [test, subtest]) → whether a run of it was unexpected.
        var tests: [String: [String: Bool]] = [:]
        var subtests: [String: [[String]: Bool]] = [:]
        for (label, report) in reports {
            let name = Self.platform(label: label, runInfo: report.runInfo)
            var platformTests = tests[name] ?? [:], platformSubtests = subtests[name] ?? [:]
            for result in report.results {
                platformTests[result.test] = (platformTests[result.test] ?? false) || result.isUnexpected
                for subtest in result.subtests {
                    let key = [result.test, subtest.name]
                    platformSubtests[key] = (platformSubtests[key] ?? false) || subtest.isUnexpected
                }
            }
            tests[name] = platformTests
            subtests[name] = platformSubtests
        }
        platforms = Set(tests.keys).union(subtests.keys).sorted().map { name in
            let ran = tests[name] ?? [:], ranSubtests = subtests[name] ?? [:]
            return Platform(name: name, tests: ran.count, unexpectedTests: ran.values.filter { $0 }.count,
                            subtests: ranSubtests.count, unexpectedSubtests: ranSubtests.values.filter { $0 }.count)
        }
    }

    /// `test-linux1804-64-qr/opt-web-platform-tests-reftest-2` → `linux1804-64-qr/opt`; a label of
    /// another form gives `run_info`'s `os` and build type.
    public static func platform(label: String, runInfo: RunInfo) -> String {
        if let range = label.range(of: "-web-platform-tests"), label.hasPrefix("test-"), label[..<range.lowerBound].contains("/") {
            return String(label[label.index(label.startIndex, offsetBy: 5)..<range.lowerBound])
        }
        let os: String = switch runInfo["os"] {
        case .string(let text)?: text
        default: "unknown"
        }
        let debug = if case .bool(true)? = runInfo["debug"] { true } else { false }
        return "\(os)/\(debug ? "debug" : "opt")"
    }

    /// One line per platform, for the bug.
    public var text: String {
        guard !platforms.isEmpty else { return "No web-platform-tests report was published." }
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "Unexpected results, by platform:\n" + platforms.map {
            "- \($0.name): \($0.unexpectedTests) of \(count($0.tests, "test")), \($0.unexpectedSubtests) of \(count($0.subtests, "subtest"))"
        }.joined(separator: "\n")
    }
}
