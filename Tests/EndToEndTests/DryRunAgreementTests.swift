import Foundation
import LocalServices
import Testing
import TestSupport

/// `replay --dry-run` says what the replay then does: for each range, the dry run runs first over
/// the whole range, then the real replay goes push by push, and the PR actions each push's preview
/// names are the ones the local GitHub saw for that push.
@Suite("Dry run agrees with the replay", .serialized)
struct DryRunAgreementTests {
    /// A world whose autoland and central hooks record nothing, each with a pushlog.
    final class World {
        let u: UpstreamWorld
        let autoland: LocalPushlog
        let central: LocalPushlog
        var world: SyncWorld { u.world }

        init() throws {
            u = try UpstreamWorld()
            autoland = try LocalPushlog(repositoryPath: u.world.autoland)
            central = try LocalPushlog(repositoryPath: u.world.central)
            var config = try String(contentsOfFile: u.world.config, encoding: .utf8)
            for (name, path, role, pushlog) in [("autoland", u.world.autoland, "integration", autoland),
                                                ("mozilla-central", u.world.central, "central", central)] {
                let table = "name = \"\(name)\"\npath = \"\(path)\"\nrole = \"\(role)\"\n"
                #expect(config.contains(table))
                config = config.replacingOccurrences(of: table, with: table + "enabled = false\nurl = \"\(pushlog.repositoryURL)\"\n")
            }
            try writeFile(u.world.config, config)
            try u.world.wptsync(["process"])  // a worker ran before
        }

        /// Commits `files` in the developer clone (no push).
        @discardableResult
        func commit(_ files: [String: String], _ message: String) throws -> String {
            for (path, contents) in files { try world.gecko.write(path, contents) }
            return try world.gecko.commit(message)
        }

        /// Backs out `node` in the developer clone (no push) and returns the backout's node.
        func backout(_ node: String, bug: Int) throws -> String {
            try world.gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug \(bug)) for bustage", "-d", "0 0"])
            return try world.gecko.hg(["log", "-r", ".", "-T", "{node}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func push(_ node: String, to repository: String) throws {
            try world.gecko.hg(["push", "-q", "-r", node, repository == "autoland" ? world.autoland : world.central])
        }

        /// Dry-runs pushes `ids` of `repository`, then replays them one by one; returns, per push,
        /// the previewed and the observed PR actions.
        func compare(_ repository: String, _ ids: ClosedRange<Int>) throws -> [(previewed: [String], observed: [String])] {
            let plan = try world.wptsync(["replay", "--repository", repository, "--pushes", "\(ids.lowerBound):\(ids.upperBound)", "--dry-run"])
            let previews = Self.previews(plan)
            #expect(Set(previews.keys) == Set(ids), "every push previewed: \(plan)")
            var result: [(previewed: [String], observed: [String])] = []
            for id in ids {
                let before = u.github.pullRequests
                u.github.clearRequests()
                try world.wptsync(["replay", "--repository", repository, "--pushes", "\(id):\(id)"])
                result.append((previews[id] ?? [], Self.observed(before: before, after: u.github.pullRequests, requests: u.github.requests)))
            }
            return result
        }

        /// The PR action kinds each push's preview names, by push id.
        static func previews(_ plan: String) -> [Int: [String]] {
            var result: [Int: [String]] = [:]
            var push = 0
            for line in plan.split(separator: "\n").map(String.init) {
                if line.hasPrefix("push "), let id = Int(line.dropFirst(5).prefix { $0.isNumber }) { push = id; result[id] = [] }
                guard line.hasPrefix("  new sync ") || line.hasPrefix("  sync "), let colon = line.range(of: ": ") else { continue }
                let action = line[colon.upperBound...]
                let kinds: [String] = if action.hasPrefix("open a PR, mark it landed") { ["open", "landed"] }
                    else if action.hasPrefix("open a PR") { ["open"] }
                    else if action.hasPrefix("close ") { ["close"] }
                    else if action.hasPrefix("reopen ") { ["reopen"] }
                    else if action.hasPrefix("update ") { ["update"] }
                    else if action.hasPrefix("mark ") { ["landed"] }
                    else { [] }
                result[push, default: []] += kinds
            }
            return result
        }

        /// What the local GitHub shows was done: PRs opened, closed, reopened, their branch moved,
        /// marked landed (the landed status, or merged).
        static func observed(before: [PullRequestSnapshot], after: [PullRequestSnapshot], requests: [RecordedRequest]) -> [String] {
            var kinds: [String] = []
            for pull in after {
                guard let old = before.first(where: { $0.number == pull.number }) else { kinds.append("open"); continue }
                if pull.isMerged && !old.isMerged { continue }
                if old.isOpen && !pull.isOpen { kinds.append("close") }
                else if !old.isOpen && pull.isOpen { kinds.append("reopen") }
                else if pull.isOpen && pull.headSHA != old.headSHA { kinds.append("update") }
            }
            let landedStatus = requests.contains { request in
                request.method == "POST" && request.path.contains("/statuses/")
                    && request.body.replacingOccurrences(of: "\\/", with: "/").contains("upstream/gecko")
            }
            let merged = after.contains { pull in pull.isMerged && before.contains { $0.number == pull.number && !$0.isMerged } }
            if landedStatus || merged { kinds.append("landed") }
            return kinds
        }
    }

    static func expectAgreement(_ steps: [(previewed: [String], observed: [String])], _ expected: [[String]],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(steps.map(\.observed) == expected, sourceLocation: sourceLocation)
        #expect(steps.map(\.previewed) == steps.map(\.observed), sourceLocation: sourceLocation)
    }

    @Test func pushBackoutAndReland() throws {
        let w = try World()
        let change = try w.commit(["testing/web-platform/tests/a.html": "a\n"], "Bug 1234 - Add a. r=alice")
        try w.push(change, to: "autoland")
        try w.push(try w.backout(change, bug: 1234), to: "autoland")
        try w.push(try w.commit(["testing/web-platform/tests/a.html": "a2\n"], "Bug 1234 - Add a again. r=alice"), to: "autoland")
        Self.expectAgreement(try w.compare("autoland", 1...3), [["open"], ["close"], ["reopen"]])
    }

    @Test func aChangeAndItsBackoutInOnePushOpenNothingAndSaySo() throws {
        let w = try World()
        let change = try w.commit(["testing/web-platform/tests/a.html": "a\n"], "Bug 1234 - Add a. r=alice")
        try w.push(try w.backout(change, bug: 1234), to: "autoland")
        try w.push(try w.commit(["testing/web-platform/tests/b.html": "b\n"], "Bug 1235 - Add b. r=bob"), to: "autoland")
        Self.expectAgreement(try w.compare("autoland", 1...2), [[], ["open"]])
        let line = try w.world.wptsync(["list"]).split(separator: "\n").first { $0.contains("gecko/1234") } ?? ""
        #expect(line.contains("backed-out-before-pr") && line.contains("backed out before a PR was opened") && !line.contains("reland"), "\(line)")
        #expect(try w.world.wptsync(["show", "upstream", "1234", "--json"]).contains("\"status\":\"backed-out-before-pr\""))
    }

    @Test func aChangeLandingOnCentral() throws {
        let w = try World()
        let change = try w.commit(["testing/web-platform/tests/a.html": "a\n"], "Bug 1234 - Add a. r=alice")
        try w.push(change, to: "autoland")
        Self.expectAgreement(try w.compare("autoland", 1...1), [["open"]])
        try w.push(change, to: "central")
        Self.expectAgreement(try w.compare("mozilla-central", 1...1), [["landed"]])
    }

    @Test func aBackoutOfABackoutRelandsAndReopens() throws {
        let w = try World()
        let change = try w.commit(["testing/web-platform/tests/a.html": "a\n"], "Bug 1234 - Add a. r=alice")
        try w.push(change, to: "autoland")
        let backout = try w.backout(change, bug: 1234)
        try w.push(backout, to: "autoland")
        try w.push(try w.backout(backout, bug: 1234), to: "autoland")
        Self.expectAgreement(try w.compare("autoland", 1...3), [["open"], ["close"], ["reopen"]])
        let pulls = w.u.github.pullRequests
        #expect(pulls.count == 1 && pulls[0].isOpen, "\(pulls)")
        #expect(try w.world.wptsync(["list"]).contains("gecko/1234 open PR #\(pulls[0].number) — 1 of 1 changeset(s) to upstream"))
        // Rebuilt from GitHub and Gecko's history, the change is relanded too.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: w.world.store + suffix) }
        let rebuilt = try w.world.wptsync(["rebuild"])
        #expect(rebuilt.contains("rebuilt sync 1 gecko/1234 open PR #\(pulls[0].number) — 1 of 1 changeset(s) to upstream"), "\(rebuilt)")
    }
}
