import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 12: try results are kept with their downstream sync, compressed, the last 3 runs per PR.
@Suite("Downstream try results in the store (SQLite; PostgreSQL when installed)")
struct DownstreamResultStoreTests {
    let dir = TempDir("downstream-results")

    func report(_ test: String, _ status: String) -> [UInt8] {
        Array(#"{"run_info": {"os": "linux"}, "results": [\#((0..<200).map { _ in #"{"test": "\#(test)", "status": "\#(status)"}"# }.joined(separator: ", "))]}"#.utf8)
    }

    @Test(arguments: JournalBackend.available) func theLastThreeRunsOfAPullRequestAreKeptCompressedAndReadBackExactly(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        for (run, revision) in ["r1", "r2", "r3", "r4"].enumerated() {
            try store.saveDownstreamResults(pullRequest: 7, revision: revision, [
                DownstreamResult(revision: revision, taskID: "T\(run)a", label: "test-linux/opt-web-platform-tests-1", report: report("/a.html", "OK")),
                DownstreamResult(revision: revision, taskID: "T\(run)b", label: "test-linux/opt-web-platform-tests-2", report: report("/b.html", "ERROR")),
            ], keepingRuns: 3)
        }
        try store.saveDownstreamResults(pullRequest: 8, revision: "r9", [
            DownstreamResult(revision: "r9", taskID: "X", label: "l", report: report("/c.html", "OK")),
        ], keepingRuns: 3)
        // Storing r2 again (a pass repeated after a crash) replaces it and keeps its place.
        try store.saveDownstreamResults(pullRequest: 7, revision: "r2", [
            DownstreamResult(revision: "r2", taskID: "T1a", label: "test-linux/opt-web-platform-tests-1", report: report("/a.html", "TIMEOUT")),
        ], keepingRuns: 3)

        let kept = try backend.reopen(store).downstreamResults(pullRequest: 7)
        #expect(kept.map(\.revision) == ["r2", "r3", "r3", "r4", "r4"])
        #expect(kept.map(\.taskID) == ["T1a", "T2a", "T2b", "T3a", "T3b"])
        #expect(kept.first?.report == report("/a.html", "TIMEOUT"))
        #expect(kept.last?.report == report("/b.html", "ERROR"))
        #expect(try store.downstreamResults(pullRequest: 8).map(\.taskID) == ["X"])

        // Kept as gzip (magic 1f 8b), far smaller than the report.
        let rows = try backend.outside(store, backend == .sqlite
            ? "SELECT hex(substr(report, 1, 2)) || ' ' || length(report) FROM downstream_results WHERE task_id = 'T3b'"
            : "SELECT upper(encode(substr(report, 1, 2), 'hex')) || ' ' || length(report) FROM downstream_results WHERE task_id = 'T3b'")
        let parts = rows.split(separator: " ")
        #expect(parts.first == "1F8B")
        #expect((Int(parts.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? .max) * 10 < report("/b.html", "ERROR").count)
    }

    @Test(arguments: JournalBackend.available) func aDamagedStoredReportIsAnErrorNamingIt(_ backend: JournalBackend) throws {
        let store = try backend.journal(in: dir)
        try store.saveDownstreamResults(pullRequest: 7, revision: "abc", [
            DownstreamResult(revision: "abc", taskID: "TASK1", label: "l", report: report("/a.html", "OK")),
        ], keepingRuns: 3)
        try backend.outside(store, "UPDATE downstream_results SET report = \(backend == .sqlite ? "X'1F8B0800'" : "'\\x1f8b0800'::bytea")")
        #expect {
            try store.downstreamResults(pullRequest: 7)
        } throws: { error in
            "\(error)" == "the stored wptreport.json of task TASK1 (PR #7, try push abc) cannot be read: truncated gzip data"
        }
    }
}
