import Foundation

/// One `wptreport.json`: the configuration a run used and each test's result in it.
public struct WptReport: Sendable, Equatable, Codable {
    public var runInfo: RunInfo
    public var results: [WptTestResult]

    enum CodingKeys: String, CodingKey {
        case runInfo = "run_info", results
    }

    public init(runInfo: RunInfo, results: [WptTestResult]) {
        self.runInfo = runInfo
        self.results = results
    }

    /// run_info properties that are not a string, number or bool (null, objects) are left out.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runInfo = try container.decode([String: Lenient].self, forKey: .runInfo).compactMapValues(\.value)
        results = try container.decode([WptTestResult].self, forKey: .results)
    }

    private struct Lenient: Decodable {
        let value: RunInfoValue?
        init(from decoder: Decoder) throws { value = try? RunInfoValue(from: decoder) }
    }

    /// Decodes a report; a `file` that is not such JSON is an error naming it and what was wrong.
    public static func decode(_ data: Data, file: String) throws -> WptReport {
        do {
            return try JSONDecoder().decode(WptReport.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw MetadataError.invalidReport(file: file, reason: "not JSON" + (syntaxError(in: data).map { ": " + $0 } ?? ""))
            }
            throw MetadataError.invalidReport(file: file, reason: Self.reason(error))
        } catch {
            throw MetadataError.invalidReport(file: file, reason: String(describing: error))
        }
    }

    /// Each test's results across `reports`, one per run, keyed by test id (`/dir/test.html?query`).
    public static func runs(_ reports: [WptReport]) -> [String: [WptRun]] {
        var runs: [String: [WptRun]] = [:]
        for report in reports {
            for result in report.results {
                runs[result.test, default: []].append(WptRun(runInfo: report.runInfo, status: result.status,
                                                              subtests: result.subtests.map { ($0.name, $0.status) }))
            }
        }
        return runs
    }

    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "unexpected value at \(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context): "bad value at \(path(context.codingPath))"
        @unknown default: String(describing: error)
        }
    }

    /// Where `data` stops being JSON, as a line and column (1-based, in characters) and Foundation's
    /// reason; JSONDecoder only says that it is not JSON, JSONSerialization gives the byte offset.
    static func syntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            guard let range = detail.range(of: #"around character \d+"#, options: .regularExpression),
                  let offset = Int(detail[range].split(separator: " ").last ?? ""), offset <= data.count else { return detail }
            let what = detail[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            let bytes = Array(data.prefix(offset))
            let lineStart = (bytes.lastIndex(of: 0x0a).map { $0 + 1 }) ?? 0
            let line = bytes.count { $0 == 0x0a } + 1
            let column = String(decoding: bytes[lineStart...], as: UTF8.self).unicodeScalars.count + 1
            return "\(what) at line \(line), column \(column)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

/// One test's result in a report.
public struct WptTestResult: Sendable, Equatable, Codable {
    public var test: String
    public var status: String
    /// Omitted by wptrunner when it equals `status`.
    public var expected: String?
    public var subtests: [WptSubtestResult]

    public init(test: String, status: String, expected: String? = nil, subtests: [WptSubtestResult] = []) {
        self.test = test
        self.status = status
        self.expected = expected
        self.subtests = subtests
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        test = try container.decode(String.self, forKey: .test)
        status = try container.decode(String.self, forKey: .status)
        expected = try container.decodeIfPresent(String.self, forKey: .expected)
        subtests = try container.decodeIfPresent([WptSubtestResult].self, forKey: .subtests) ?? []
    }
}

/// One subtest's result in a report.
public struct WptSubtestResult: Sendable, Equatable, Codable {
    public var name: String
    public var status: String
    public var expected: String?

    public init(name: String, status: String, expected: String? = nil) {
        self.name = name
        self.status = status
        self.expected = expected
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
