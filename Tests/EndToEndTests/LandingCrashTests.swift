import Foundation
import Testing
import TestSupport

/// Issue 4: kill the worker at random points during a landing and rerun; autoland ends as one
/// clean run leaves it. Seeded like `CrashConvergenceTests` (`WPTSYNC_CRASH_SEED`).
@Suite("Landing crash convergence", .serialized)
struct LandingCrashTests {
    @Test("the worker killed at random points during a landing converges to one clean landing")
    func killedWorkerConverges() throws {
        let requested = ProcessInfo.processInfo.environment["WPTSYNC_CRASH_SEED"]
        let seed = requested == "random" ? UInt64.random(in: 1...UInt64.max) : requested.flatMap { UInt64($0) } ?? 42
        print("landing crash convergence: seed \(seed) (replay with WPTSYNC_CRASH_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)

        // A landing command too, so kills also land inside the checkout it runs in.
        let scripts = TempDir("crash-command")
        let script = scripts.sub("manifest")
        try writeFile(script, "#!/bin/sh\nset -e\nsleep 0.2\nls testing/web-platform/tests > testing/web-platform/meta/MANIFEST.txt\n", executable: true)
        let l = try LandingWorld(extraLandingConfig: "command = [\"\(script)\"]")
        let text = try String(contentsOfFile: l.world.config, encoding: .utf8)
        try writeFile(l.world.config, text + """
            [worker]
            backoff_base_seconds = 0.001
            backoff_max_seconds = 0.01
            poll_seconds = 0.01
            max_attempts = 1000

            """)
        let before = try l.autolandTip
        let prs = [
            try l.mergeUpstreamPR(["k1.html": "1\n"], title: "Crash one", method: .merge),
            try l.mergeUpstreamPR(["k2.html": "2\n", "README.md": "changed\n"], title: "Crash two", method: .squash),
            try l.mergeUpstreamPR(["k3.html": "3\n"], title: "Crash three", method: .rebase),
        ]
        try l.syncMirror()

        // Besides plain delays, rounds kill the worker the moment the landing reaches a step: the
        // checkout for the command exists, or autoland's changelog grew (pushed, not yet saved).
        let changelog = l.world.autoland + "/.hg/store/00changelog.i"
        func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var log: [String] = []
        var killedAtAStep = 0
        for round in 1...16 {
            let pushedBefore = size(changelog)
            // The first round always kills at a step, so no seed lets a plain delay finish the landing first.
            let step = Int.random(in: 0..<(round == 1 ? 2 : 3), using: &random)
            let extra = Double.random(in: 0...0.05, using: &random)
            let trigger: () -> Bool = switch step {
            case 0: { FileManager.default.fileExists(atPath: l.clonePath + "/testing") }
            case 1: { size(changelog) != pushedBefore }
            default: { false }
            }
            let limit = step == 2 ? Double.random(in: 0.05...2.0, using: &random) : 5
            var fired = false
            let run = try runAndKill(builtProduct("wptsync"), ["worker", "--config", l.world.config], in: l.world.dir.path,
                                     extraEnvironment: testEnvironment.merging(l.world.environment) { $1 },
                                     when: { fired = fired || trigger(); return fired }, limit: limit, extraDelay: extra)
            if fired { killedAtAStep += 1 }
            log.append("round \(round): step \(step), fired \(fired), +\(Int(extra * 1000)) ms, status \(run.status)")
            if try l.upstreamWorld.unfinishedEvents() == 0, try l.landings().first?["status"] as? String == "pushed" { break }
        }
        print(log.joined(separator: "\n"))
        #expect(killedAtAStep > 0, "no kill hit the landing at a step")
        try l.upstreamWorld.processUntilSettled()

        let head = try l.upstreamWorld.git(["rev-parse", "master"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try l.autolandSummaries(after: before) == prs.map { "Bug \(l.bug) [wpt PR \($0)] - Crash \(["one", "two", "three"][prs.firstIndex(of: $0)!]), a=testonly" }
                + ["Bug \(l.bug) - [wpt-sync] Update web-platform-tests to \(head), a=testonly"], "\(log.joined(separator: "\n"))")
        #expect(try l.hg(["heads", "-T", "x"]) == "x")
        #expect(try l.autolandFile("testing/web-platform/tests/k2.html") == "2\n")
        #expect(try l.autolandFile("testing/web-platform/tests/README.md") == "changed\n")
        #expect(try l.autolandFile("testing/web-platform/meta/MANIFEST.txt") == "README.md\nk1.html\nk2.html\nk3.html\n")
        let landings = try l.landings()
        #expect(landings.count == 1 && landings.first?["status"] as? String == "pushed", "\(landings)")
        #expect(try l.upstreamWorld.unfinishedEvents() == 0)
    }
}
