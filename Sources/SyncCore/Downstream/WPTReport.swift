/// wptrunner's `wptreport.json`: the results of one web-platform-tests task run.
///
/// Keys are written as wptrunner writes them (`run_info`, `known_intermittent`); decode with a
/// plain `JSONDecoder`, not one that converts from snake_case.
public struct WPTReport: Codable, Sendable, Equatable {
    /// The configuration the tests ran in (`os`, `debug`, `processor`, `bits`, …).
    public var runInfo: RunInfo
    /// Milliseconds since the epoch.
    public var timeStart: Int?
    public var timeEnd: Int?
    public var results: [WPTTestResult]

    public init(runInfo: RunInfo, timeStart: Int? = nil, timeEnd: Int? = nil, results: [WPTTestResult]) {
        self.runInfo = runInfo
        self.timeStart = timeStart
        self.timeEnd = timeEnd
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case runInfo = "run_info", timeStart = "time_start", timeEnd = "time_end", results
    }
}

/// One test's result. `expected` is absent when it equals `status`.
public struct WPTTestResult: Codable, Sendable, Equatable {
    /// The test id, such as `/dom/historical.html?x=1`.
    public var test: String
    /// OK, ERROR, TIMEOUT, CRASH, PRECONDITION_FAILED, SKIP (testharness); PASS, FAIL (reftests).
    public var status: String
    public var expected: String?
    public var knownIntermittent: [String]?
    public var message: String?
    /// Milliseconds.
    public var duration: Int?
    public var subtests: [WPTSubtestResult]

    public init(test: String, status: String, expected: String? = nil, knownIntermittent: [String]? = nil,
                message: String? = nil, duration: Int? = nil, subtests: [WPTSubtestResult] = []) {
        self.test = test
        self.status = status
        self.expected = expected
        self.knownIntermittent = knownIntermittent
        self.message = message
        self.duration = duration
        self.subtests = subtests
    }

    enum CodingKeys: String, CodingKey {
        case test, status, expected, knownIntermittent = "known_intermittent", message, duration, subtests
    }
}

/// One subtest's result: PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED.
public struct WPTSubtestResult: Codable, Sendable, Equatable {
    public var name: String
    public var status: String
    public var expected: String?
    public var knownIntermittent: [String]?
    public var message: String?

    public init(name: String, status: String, expected: String? = nil, knownIntermittent: [String]? = nil, message: String? = nil) {
        self.name = name
        self.status = status
        self.expected = expected
        self.knownIntermittent = knownIntermittent
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case name, status, expected, knownIntermittent = "known_intermittent", message
    }
}
