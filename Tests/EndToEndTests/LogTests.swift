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

    @Test func tokensNeverReachTheTerminalOrTheLogFileEvenWhenRequestsFail() throws {
        let u = try UpstreamWorld(extraConfig: "[worker]\nbackoff_base_seconds = 3600\n")
        let urlSecret = "hunter2-url-secret"
        // An HTTP error from GitHub, logged with --verbose.
        u.github.injectFault(.serverError(status: 401), count: 1000)
        try u.world.landInGecko(["testing/web-platform/tests/t.html": "t\n"], message: "Bug 82 - t. r=x")
        let first = try u.world.wptsyncResult(["process", "--verbose"])
        #expect(first.stderrString.contains("401"), "\(first.stderrString)")
        u.github.clearFaults()
        // A push URL holding a token, to an address where nothing listens.
        let config = try String(contentsOfFile: u.world.config, encoding: .utf8)
        try writeFile(u.world.config, config.replacingOccurrences(
            of: "upstream_push_url = \"\(u.upstream)\"", with: "upstream_push_url = \"https://bot:\(urlSecret)@127.0.0.1:9/wpt.git\""))
        try u.world.wptsync(["retry", "--all"])
        let second = try u.world.wptsyncResult(["process", "--verbose"])
        #expect(second.stderrString.contains("127.0.0.1:9"), "\(second.stderrString)")
        let list = try u.world.wptsyncResult(["list", "--verbose"])
        let events = try u.world.wptsyncResult(["events", "--json", "--verbose"])

        let everything = [first, second, list, events].map { $0.stdoutString + $0.stderrString }.joined()
            + (try String(contentsOfFile: u.world.log, encoding: .utf8))
        #expect(everything.contains("event failed"))
        for secret in ["test-token", urlSecret] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }
}
