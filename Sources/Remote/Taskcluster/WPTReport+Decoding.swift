import CSimdJSON
import Foundation
import SyncCore

extension WPTReport {
    /// Decodes a report with simdjson (a tenth of `JSONDecoder`'s time on a try push's reports); a
    /// `file` that is not such JSON is an error naming it and what was wrong, and where.
    public static func decode(_ data: Data, file: String) throws(MetadataError) -> WPTReport {
        guard !data.isEmpty else { throw MetadataError.invalidReport(file: file, reason: "not JSON: the file is empty") }
        let builder = Builder()
        var outcome = wpt_report_outcome()
        let walked = data.withUnsafeBytes { bytes in
            var visitor = wpt_report_visitor(context: Unmanaged.passUnretained(builder).toOpaque(), run_info: { context, key, kind, string, number, bool in
                let builder = Unmanaged<Builder>.fromOpaque(context!).takeUnretainedValue()
                let value: RunInfoValue = switch kind {
                case WPT_RUN_INFO_STRING: .string(Builder.text(string)!)
                case WPT_RUN_INFO_NUMBER: .number(number)
                default: .bool(bool)
                }
                builder.runInfo[Builder.text(key)!] = value
            }, test: { context, test in
                Unmanaged<Builder>.fromOpaque(context!).takeUnretainedValue().add(test!.pointee)
            })
            return withExtendedLifetime(builder) {
                wpt_report_walk(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, &visitor, &outcome)
            }
        }
        guard walked else {
            let message = withUnsafeBytes(of: outcome.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if outcome.not_json {
                throw MetadataError.invalidReport(file: file, reason: "not JSON: " + (syntaxError(in: data) ?? message))
            }
            throw MetadataError.invalidReport(file: file, reason: message)
        }
        return WPTReport(runInfo: builder.runInfo, timeStart: outcome.has_time_start ? Int(outcome.time_start) : nil,
                         timeEnd: outcome.has_time_end ? Int(outcome.time_end) : nil, results: builder.results)
    }

    /// Collects what the walk hands over, copying each string out of the document.
    private final class Builder {
        var runInfo: RunInfo = [:]
        var results: [WPTTestResult] = []

        static func text(_ string: wpt_string) -> String? {
            string.data.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: string.length), as: UTF8.self) }
        }

        static func texts(_ strings: wpt_strings) -> [String]? {
            strings.present ? UnsafeBufferPointer(start: strings.items, count: strings.count).map { text($0)! } : nil
        }

        func add(_ test: wpt_test) {
            let subtests = UnsafeBufferPointer(start: test.subtests, count: test.subtest_count).map { subtest in
                WPTSubtestResult(name: Self.text(subtest.name)!, status: Self.text(subtest.status)!, expected: Self.text(subtest.expected),
                                 knownIntermittent: Self.texts(subtest.known_intermittent), message: Self.text(subtest.message))
            }
            results.append(WPTTestResult(test: Self.text(test.test)!, status: Self.text(test.status)!, expected: Self.text(test.expected),
                                         knownIntermittent: Self.texts(test.known_intermittent), message: Self.text(test.message),
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
