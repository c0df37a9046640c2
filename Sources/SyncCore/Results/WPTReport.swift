import Foundation

/// wptrunner's `wptreport.json`: the results of one web-platform-tests task run. The one report
/// type: try results (Taskcluster, the local queue, the stored downstream results) and metadata
/// updates read it.
///
/// Keys are written as wptrunner writes them (`run_info`, `known_intermittent`); decode with
/// `decode(_:file:)` (simdjson; WPTReport+Decoding.swift) or a plain `JSONDecoder`, not one that
/// converts from snake_case.
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

    /// run_info properties that are not a string, number or bool (null, objects) are left out, as
    /// are times that are not whole numbers.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runInfo = try container.decode([String: Lenient].self, forKey: .runInfo).compactMapValues { $0.value }
        timeStart = try? container.decodeIfPresent(Int.self, forKey: .timeStart)
        timeEnd = try? container.decodeIfPresent(Int.self, forKey: .timeEnd)
        results = try container.decode([WPTTestResult].self, forKey: .results)
    }

    private struct Lenient: Decodable {
        let value: RunInfoValue?
        init(from decoder: Decoder) throws { value = try? RunInfoValue(from: decoder) }
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

    /// `subtests` may be absent; a `duration` that is not a whole number is left out.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        test = try container.decode(String.self, forKey: .test)
        status = try container.decode(String.self, forKey: .status)
        expected = try container.decodeIfPresent(String.self, forKey: .expected)
        knownIntermittent = try container.decodeIfPresent([String].self, forKey: .knownIntermittent)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        duration = try? container.decodeIfPresent(Int.self, forKey: .duration)
        subtests = try container.decodeIfPresent([WPTSubtestResult].self, forKey: .subtests) ?? []
    }

    /// The status differs from the expected one and is not a known intermittent.
    public var isUnexpected: Bool { WPTReport.unexpected(status, expected: expected, knownIntermittent: knownIntermittent) }
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

    /// The status differs from the expected one and is not a known intermittent.
    public var isUnexpected: Bool { WPTReport.unexpected(status, expected: expected, knownIntermittent: knownIntermittent) }
}

extension WPTReport {
    static func unexpected(_ status: String, expected: String?, knownIntermittent: [String]?) -> Bool {
        guard let expected, expected != status else { return false }
        return !(knownIntermittent ?? []).contains(status)
    }
}
