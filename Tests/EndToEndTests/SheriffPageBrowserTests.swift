#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// Issue 14's sheriff page in a real browser: headless Chromium (Debian's `chromium` and
/// `chromium-driver`) driven by Selenium (`scripts/selenium_sheriff_page.py`) against a real
/// `wptsync serve` over loopback, on two requests queued through the real hooks and local
/// Treeherder and Taskcluster. Skipped, saying why, when the browser or Selenium is missing.
@Suite("Sheriff page in a real browser", .serialized)
struct SheriffPageBrowserTests {
    static let browserMissing: String? = {
        for program in ["chromium", "chromedriver"] where (try? ProcessRunner.run("which", [program]).status) != 0 {
            return "\(program) is not installed (apt-get install chromium chromium-driver; scripts/bootstrap does)"
        }
        return PythonCrossCheck.available("selenium") ? nil : "Selenium is not installed (pip install selenium; scripts/test does)"
    }()

    @Test(.enabled(if: browserMissing == nil, Comment(rawValue: browserMissing ?? "")))
    func aSheriffLandsOneRequestAndRejectsAnotherAndForgedPostsChangeNothing() throws {
        let page = try SheriffPageWorld("sheriff-browser")
        let (land, reject) = (try page.queue("int y;\n"), try page.queue("int z;\n"))
        let reason = "wpt-1 fails again: a real regression <b>not</b> an intermittent"
        let serve = try page.serve()
        var environment = [
            "PAGE": "http://127.0.0.1:\(serve.port)/autoland", "SHERIFF": "sam", "SHERIFF_TOKEN": try page.issueToken("sam"),
            "OTHER": "alice@mozilla.com", "OTHER_TOKEN": try page.issueToken("alice@mozilla.com"),
            "LAND_ID": "\(land.id)", "REJECT_ID": "\(reject.id)", "REASON": reason, "SE_OFFLINE": "true",
        ]
        environment["SCREENSHOTS"] = ProcessInfo.processInfo.environment["WPTSYNC_SCREENSHOTS"]
        let run = try PythonCrossCheck.run("selenium_sheriff_page.py", environment: environment)
        #expect(run.status == 0, "\(run.output)\n\(serve.process.output.suffix(3000))")

        // What the browser did really happened: the first request is on the integration
        // repository, with its author, the second is rejected with the reason, both by sam.
        let landed = try page.request(land.id), rejected = try page.request(reject.id)
        #expect(landed.state.phase == .landed)
        #expect(try page.w.autoland("{node}") == landed.state.landedNode && page.w.autoland("{author}") == AutolandLandingWorld.author)
        #expect(try sh("hg", ["cat", "-r", "tip", "dom/base/Document.cpp"], in: page.w.world.autoland) == "int y;\n")
        #expect(landed.audit?.map { "\($0.who) \($0.phase.rawValue)" }.suffix(2) == ["sam landing", "autoland landed"])
        #expect(rejected.state.phase == .rejected && rejected.state.reason == "rejected by sam: \(reason)")
        #expect(page.w.comments.contains { $0.hasPrefix("A sheriff (sam) approved this autoland request: it lands on autoland.") })
        #expect(page.w.comments.contains { $0.hasPrefix("A sheriff (sam) rejected this autoland request: \(reason)") })
    }
}

/// The autoland world with a `[serve]` section, requests queued for a sheriff, tokens, and `wptsync serve`.
final class SheriffPageWorld {
    let w: AutolandLandingWorld

    init(_ name: String) throws {
        w = try AutolandLandingWorld(name, extraConfig: """

            [serve]
            listen = "127.0.0.1:0"
            """)
    }

    /// Pushes a change asking for autoland whose retrigger fails again: it waits for a sheriff.
    func queue(_ contents: String) throws -> AutolandRequest {
        let pushed = try w.pushToTry(contents)
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .failed)
        try w.world.wptsync(["process"])
        let request = try #require(try SQLiteJournal(path: w.world.store).autolandRequest(repository: "try", tip: pushed.tip))
        #expect(request.state.phase == .queued)
        return request
    }

    func request(_ id: Int64) throws -> AutolandRequest { try #require(try SQLiteJournal(path: w.world.store).autolandRequest(id: id)) }

    /// `wptsync token issue USER`: the token, the only line on standard output.
    func issueToken(_ user: String) throws -> String {
        try w.world.wptsync(["token", "issue", user]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A running `wptsync serve` and the port it chose.
    func serve() throws -> (process: RunningProcess, port: Int) {
        let serve = try RunningProcess(builtProduct("wptsync"), ["serve", "--config", w.world.config], in: w.world.dir.path,
                                       extraEnvironment: ["WPTSYNC_WEBHOOK_SECRET": "webhook secret"])
        var port = 0
        _ = waitUntil(limit: 60) {
            let line = serve.output.split(separator: "\n").first { $0.contains("sheriff queue on http://127.0.0.1:") }
            port = line.flatMap { Int($0.split(separator: ":").last?.split(separator: "/").first ?? "") } ?? 0
            return port != 0 || !serve.isRunning
        }
        try #require(port != 0, "wptsync serve did not start: \(serve.output)")
        return (serve, port)
    }
}
