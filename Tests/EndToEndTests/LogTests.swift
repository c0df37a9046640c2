import Foundation
import LocalServices
import Testing
import TestSupport

@Suite("Logs", .serialized)
struct LogTests {
    @Test func eachActionGetsATerminalLineAndAJSONLineAndVerboseAddsDebug() throws {
        let u = try UpstreamWorld()
        try writeFile(u.world.config, try String(contentsOfFile: u.world.config, encoding: .utf8)
            .replacingOccurrences(of: "level = \"debug\"", with: "level = \"info\""))
        try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 80 - a. r=x")
        let quiet = try u.world.wptsyncResult(["process"])
        #expect(quiet.stderrString.contains("wptsync: push to autoland: 1 changeset(s)"), "\(quiet.stderrString)")
        #expect(quiet.stderrString.contains("event=1 kind=hg-push repository=autoland"))
        let lines = try String(contentsOfFile: u.world.log, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let processed = try #require(objects.first { ($0["message"] as? String)?.hasPrefix("push to autoland") == true })
        #expect(processed["level"] as? String == "info" && (processed["metadata"] as? [String: String])?["event"] == "1")
        #expect(!objects.contains { $0["level"] as? String == "debug" })

        try u.world.landInGecko(["dom/x.cpp": "x\n"], message: "Bug 81 - gecko only. r=x")
        let verbose = try u.world.wptsyncResult(["process", "--verbose"])
        #expect(verbose.stderrString.contains("wptsync: processing attempt=1 event=2"), "\(verbose.stderrString)")
        let debug = try String(contentsOfFile: u.world.log, encoding: .utf8).split(separator: "\n").dropFirst(lines.count)
        #expect(debug.contains { $0.contains(#""level":"debug""#) && $0.contains(#""message":"processing""#) }, "\(debug)")
    }
}
