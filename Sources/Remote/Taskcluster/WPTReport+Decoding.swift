import CSimdJSON
import Foundation
import SyncCore

extension WPTReport {
    /// Decodes a report with simdjson (a tenth of `JSONDecoder`'s time on a try push's reports); a
    /// `file` that is not such JSON is an error naming it and what was wrong, and where.
    public static func decode(_ data: Data, file: String) throws(MetadataError) -> WPTReport {
        let builder = Builder()
        let outcome = try walk(data, file: file, into: builder)
        return WPTReport(runInfo: builder.runInfo, timeStart: outcome.has_time_start ? Int(outcome.time_start) : nil,
                         timeEnd: outcome.has_time_end ? Int(outcome.time_end) : nil, results: builder.results)
    }

    /// `runs(_:)` of the decoded `reports` (each a report's bytes and a name for errors), decoded straight
    /// into runs: no `WPTReport` in between, nor the messages and expectations the update does not read,
    /// and a subtest name is shared with the previous run of its test when it is the same.
    public static func decodeRuns(_ reports: [(data: Data, file: String)]) throws(MetadataError) -> [String: [WptRun]] {
        let builder = RunsBuilder()
        for report in reports {
            builder.start()
            _ = try walk(report.data, file: report.file, into: builder)
            builder.finish()
        }
        return builder.runs
    }

    /// Walks `data` with simdjson, handing `visitor` the run_info and each test; a `file` that is not such
    /// JSON is an error naming it and what was wrong, and where.
    private static func walk(_ data: Data, file: String, into visitor: ReportVisitor) throws(MetadataError) -> wpt_report_outcome {
        guard !data.isEmpty else { throw MetadataError.invalidReport(file: file, reason: "not JSON: the file is empty") }
        var outcome = wpt_report_outcome()
        let context = Unmanaged.passUnretained(visitor).toOpaque()
        let walked = data.withUnsafeBytes { bytes in
            var callbacks = wpt_report_visitor(context: context, run_info: { context, key, kind, string, number, bool in
                let visitor = Unmanaged<ReportVisitor>.fromOpaque(context!).takeUnretainedValue()
                let value: RunInfoValue = switch kind {
                case WPT_RUN_INFO_STRING: .string(WPTReport.text(string)!)
                case WPT_RUN_INFO_NUMBER: .number(number)
                default: .bool(bool)
                }
                visitor.runInfo[WPTReport.text(key)!] = value
            }, test: { context, test in
                Unmanaged<ReportVisitor>.fromOpaque(context!).takeUnretainedValue().add(test!.pointee)
            })
            return withExtendedLifetime(visitor) {
                wpt_report_walk(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, &callbacks, &outcome)
            }
        }
        guard walked else {
            let message = withUnsafeBytes(of: outcome.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if outcome.not_json {
                throw MetadataError.invalidReport(file: file, reason: "not JSON: " + (syntaxError(in: data) ?? message))
            }
            throw MetadataError.invalidReport(file: file, reason: message)
        }
        return outcome
    }

    fileprivate static func text(_ string: wpt_string) -> String? {
        string.data.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: string.length), as: UTF8.self) }
    }

    fileprivate static func texts(_ strings: wpt_strings) -> [String]? {
        strings.present ? UnsafeBufferPointer(start: strings.items, count: strings.count).map { text($0)! } : nil
    }

    /// Collects what the walk hands over as a `WPTReport`'s parts, copying each string out of the document.
    private final class Builder: ReportVisitor {
        var results: [WPTTestResult] = []

        override func add(_ test: wpt_test) {
            let subtests = UnsafeBufferPointer(start: test.subtests, count: test.subtest_count).map { subtest in
                WPTSubtestResult(name: text(subtest.name)!, status: text(subtest.status)!, expected: text(subtest.expected),
                                 knownIntermittent: texts(subtest.known_intermittent), message: text(subtest.message))
            }
            results.append(WPTTestResult(test: text(test.test)!, status: text(test.status)!, expected: text(test.expected),
                                         knownIntermittent: texts(test.known_intermittent), message: text(test.message),
                                         duration: test.has_duration ? Int(test.duration) : nil, subtests: subtests))
        }
    }

    /// Where `data` stops being JSON, as a line and column (1-based, in characters) and Foundation's
    /// reason (simdjson says what, not where); JSONSerialization gives the byte offset.
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
}

/// What receives a report's walk: its run_info entries and its tests, in document order.
private class ReportVisitor {
    var runInfo: RunInfo = [:]
    func add(_ test: wpt_test) {}
}

/// Collects the walks of several reports as each test's runs. A report's run_info may follow its
/// results, so each run gets it when the report's walk is over.
private final class RunsBuilder: ReportVisitor {
    var runs: [String: [WptRun]] = [:]
    /// The tests of the report being walked: runs made there, with their run_info still to come.
    private var pending: [(test: String, index: Int)] = []

    func start() {
        runInfo = [:]
        pending.removeAll(keepingCapacity: true)
    }

    func finish() {
        for (test, index) in pending { runs[test]![index].runInfo = runInfo }
    }

    override func add(_ test: wpt_test) {
        let id = WPTReport.text(test.test)!
        let earlier = runs[id]
        let previous = earlier?.last?.subtests ?? []
        let subtests = UnsafeBufferPointer(start: test.subtests, count: test.subtest_count).enumerated().map { index, subtest in
            let name = index < previous.count && Self.same(previous[index].name, subtest.name) ? previous[index].name : WPTReport.text(subtest.name)!
            return (name: name, status: WPTReport.text(subtest.status)!)
        }
        runs[id, default: []].append(WptRun(runInfo: [:], status: WPTReport.text(test.status)!, subtests: subtests))
        pending.append((id, earlier?.count ?? 0))
    }

    /// Whether `string` has the bytes of `bytes`, without making a string of them.
    private static func same(_ string: String, _ bytes: wpt_string) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.length && (bytes.length == 0 || memcmp(stored.baseAddress!, bytes.data!, bytes.length) == 0)
        } ?? false
    }
}
