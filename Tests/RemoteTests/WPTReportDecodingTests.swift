import Foundation
import Testing
@testable import Remote
import SyncCore

@Suite("wptreport.json decoding (simdjson)")
struct WPTReportDecodingTests {
    static func reason(_ json: String) -> String? { reason(Data(json.utf8)) }

    static func reason(_ data: Data) -> String? {
        do {
            _ = try WPTReport.decode(data, file: "r.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("every field reads as JSONDecoder reads it: escapes, nulls, whole-number floats, unknown keys, odd run_info values")
    func sameReportAsJSONDecoder() throws {
        let json = #"""
            {"run_info": {"os": "win", "debug": true, "bits": 32, "ratio": 1.5, "none": null, "list": [1], "obj": {"a": 1}},
             "time_start": 1700000000000, "time_end": 2.0, "extra": {"ignored": [1, 2]},
             "results": [
               {"test": "/a/caf\u00e9.html?x=\"1\"", "status": "ERROR", "expected": "OK", "message": "line\nbreak \ud83d\ude00",
                "known_intermittent": ["TIMEOUT"], "duration": 12.0, "subtests": [
                 {"name": "s\t1", "status": "FAIL", "expected": "PASS", "known_intermittent": ["NOTRUN", "TIMEOUT"], "message": null},
                 {"name": "é 2", "status": "PRECONDITION_FAILED", "extra": 1}]},
               {"test": "/b.html", "status": "OK", "duration": 1.5, "subtests": null, "expected": null},
               {"test": "/c.html", "status": "PASS", "known_intermittent": null, "duration": "slow"}]}
            """#
        let ours = try WPTReport.decode(Data(json.utf8), file: "r.json")
        #expect(ours == (try JSONDecoder().decode(WPTReport.self, from: Data(json.utf8))))
        #expect(ours.runInfo == ["os": .string("win"), "debug": .bool(true), "bits": .number(32), "ratio": .number(1.5)])
        #expect(ours.timeStart == 1_700_000_000_000 && ours.timeEnd == 2)
        #expect(ours.results.map(\.test) == ["/a/café.html?x=\"1\"", "/b.html", "/c.html"])
        #expect(ours.results[0].message == "line\nbreak 😀" && ours.results[0].duration == 12 && ours.results[1].duration == nil)
        #expect(ours.results[0].subtests == [
            WPTSubtestResult(name: "s\t1", status: "FAIL", expected: "PASS", knownIntermittent: ["NOTRUN", "TIMEOUT"]),
            WPTSubtestResult(name: "é 2", status: "PRECONDITION_FAILED"),
        ])
    }

    @Test("a malformed report is an error naming the file, what is wrong and where")
    func malformedReports() {
        #expect(Self.reason("") == "r.json: not a wptreport.json: not JSON: the file is empty")
        #expect(Self.reason("{\"run_info\": {},\n \"results\": [}") == "r.json: not a wptreport.json: not JSON: invalid value at line 2, column 14")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK"}]"#)?
            .hasPrefix("r.json: not a wptreport.json: not JSON: ") == true)
        #expect(Self.reason("[1, 2]") == "r.json: not a wptreport.json: expected an object at the top level, found an array")
        #expect(Self.reason(#"{"results": []}"#) == "r.json: not a wptreport.json: missing .run_info")
        #expect(Self.reason(#"{"run_info": []}"#) == "r.json: not a wptreport.json: unexpected value at .run_info: expected an object, found an array")
        #expect(Self.reason(#"{"run_info": {}}"#) == "r.json: not a wptreport.json: missing .results")
        #expect(Self.reason(#"{"run_info": {}, "results": {}}"#) == "r.json: not a wptreport.json: unexpected value at .results: expected an array, found an object")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK"}, "b"]}"#)
            == "r.json: not a wptreport.json: unexpected value at .results[1]: expected an object, found a string")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": null, "status": "OK"}]}"#)
            == "r.json: not a wptreport.json: unexpected value at .results[0].test: expected a string, found null")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK", "subtests": [{"name": "s", "status": 1}]}]}"#)
            == "r.json: not a wptreport.json: unexpected value at .results[0].subtests[0].status: expected a string, found a number")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK", "subtests": [{"status": "PASS"}]}]}"#)
            == "r.json: not a wptreport.json: missing .results[0].subtests[0].name")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK", "known_intermittent": ["A", 2]}]}"#)
            == "r.json: not a wptreport.json: unexpected value at .results[0].known_intermittent[1]: expected a string, found a number")
        #expect(Self.reason(#"{"run_info": {}, "results": [{"test": "/a.html", "status": "OK", "subtests": "none"}]}"#)
            == "r.json: not a wptreport.json: unexpected value at .results[0].subtests: expected an array, found a string")
        #expect(Self.reason(Data(#"{"run_info": {"os": "\#u{ff}"}, "results": []}"#.utf8.map { $0 == 0xc3 ? 0xff : $0 }))?
            .hasPrefix("r.json: not a wptreport.json: not JSON") == true, "not UTF-8")
    }

    @Test func decodesAWptreport() throws {
        let json = """
            {"run_info": {"os": "linux", "debug": false, "bits": 64, "version": "Ubuntu 22.04", "extra": null, "nested": {"a": 1}},
             "time_start": 1, "results": [
               {"test": "/dom/a.html?x=1", "status": "OK", "message": null, "subtests": [
                 {"name": "s", "status": "FAIL", "expected": "PASS", "known_intermittent": []}]},
               {"test": "/dom/b.html", "status": "TIMEOUT", "expected": "OK", "duration": 5}]}
            """
        let report = try WPTReport.decode(Data(json.utf8), file: "wptreport.json")
        #expect(report.runInfo == ["os": .string("linux"), "debug": .bool(false), "bits": .number(64), "version": .string("Ubuntu 22.04")])
        let runs = WPTReport.runs([report])
        #expect(runs["/dom/a.html?x=1"] == [WptRun(runInfo: report.runInfo, status: "OK", subtests: [(name: "s", status: "FAIL")])])
        #expect(throws: MetadataError.invalidReport(file: "r.json", reason: "missing .results[0].status")) {
            try WPTReport.decode(Data(#"{"run_info": {}, "results": [{"test": "/a.html"}]}"#.utf8), file: "r.json")
        }
    }

    @Test("reports decoded straight into runs give what decoding them then taking their runs gives; a bad one is named")
    func decodesReportsIntoRuns() throws {
        let first = #"""
            {"results": [
               {"test": "/dom/a.html", "status": "OK", "message": "m", "subtests": [
                 {"name": "a long subtest name, shared across runs", "status": "FAIL", "expected": "PASS"}, {"name": "b", "status": "PASS"}]},
               {"test": "/dom/a.html", "status": "ERROR", "subtests": []}],
             "run_info": {"os": "linux", "debug": false}}
            """#
        let second = #"""
            {"run_info": {"os": "win", "debug": true}, "results": [
               {"test": "/dom/a.html", "status": "OK", "subtests": [
                 {"name": "b", "status": "FAIL"}, {"name": "a long subtest name, shared across runs", "status": "PASS"}, {"name": "c", "status": "NOTRUN"}]},
               {"test": "/dom/b.html", "status": "TIMEOUT"}]}
            """#
        let reports = [(data: Data(first.utf8), file: "1.json"), (data: Data(second.utf8), file: "2.json")]
        let runs = try WPTReport.decodeRuns(reports)
        #expect(runs == WPTReport.runs(try reports.map { try WPTReport.decode($0.data, file: $0.file) }))
        let linux: RunInfo = ["os": .string("linux"), "debug": .bool(false)], windows: RunInfo = ["os": .string("win"), "debug": .bool(true)]
        #expect(runs["/dom/a.html"] == [
            WptRun(runInfo: linux, status: "OK", subtests: [("a long subtest name, shared across runs", "FAIL"), ("b", "PASS")]),
            WptRun(runInfo: linux, status: "ERROR"),
            WptRun(runInfo: windows, status: "OK", subtests: [("b", "FAIL"), ("a long subtest name, shared across runs", "PASS"), ("c", "NOTRUN")]),
        ])
        #expect(runs["/dom/b.html"] == [WptRun(runInfo: windows, status: "TIMEOUT")])
        #expect(throws: MetadataError.invalidReport(file: "2.json", reason: "missing .results[0].status")) {
            try WPTReport.decodeRuns([reports[0], (Data(#"{"run_info": {}, "results": [{"test": "/a.html"}]}"#.utf8), "2.json")])
        }
    }
}
