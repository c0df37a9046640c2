import Foundation
import LocalServices
import RepoOps
import Testing
import TestSupport

/// The configured tokens reach no child process, no file wptsync writes and no output, in any encoding.
@Suite("Secrets", .serialized)
struct SecretsTests {
    static let tokens = (github: "t0k'\"$(id)\\`;&|<>%\\-é", approver: "appr0ver\"\\/é%2F{}[]#?=~!*`$HOME")
    static let urlSecret = "hunter2-url-secret"

    @Test func tokensReachNoChildProcessNoFileAndNoOutput() throws {
        let l = try LandingWorld(tokens: Self.tokens)
        let config = try String(contentsOfFile: l.world.config, encoding: .utf8)
        try writeFile(l.world.config, config
            .replacingOccurrences(of: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
                                  with: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_APPROVER_TOKEN\"")
            .replacingOccurrences(of: "upstream_push_url = \"\(l.upstreamWorld.upstream)\"",
                                  with: "upstream_push_url = \"\(l.upstreamWorld.upstream)\"\nfetch_url = \"https://bot:\(Self.urlSecret)@127.0.0.1:9/wpt.git\""))
        // GitHub answers with an error that echoes both tokens, as is and URL-encoded.
        let echo = [Self.tokens.github, Self.tokens.approver].flatMap { [$0, Self.percentEncoded($0)] }.joined(separator: " ")
        l.github.injectFault(.errorMessage(status: 401, message: "Bad credentials: \(echo)"), count: 2, pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        try l.landInGecko(["testing/web-platform/tests/secret.html": "s\n"], message: "Bug 90 - s. r=x")
        var outputs: [(command: [String], output: ProcessOutput)] = []
        func run(_ command: [String]) throws -> ProcessOutput {
            outputs.append((command, try l.world.wptsyncResult(command + ["--verbose"])))
            return outputs.last!.output
        }
        let failed = try run(["process"])
        #expect(failed.stderrString.contains("401") && failed.stderrString.contains("<redacted>"), "\(failed.stderrString)")
        let retried = try run(["retry", "--sync", "1"])
        #expect(retried.status != 0 && retried.stderrString.contains("<redacted>"), "a command's error: \(retried.stderrString)")
        #expect(try run(["events", "--json"]).stdoutString.contains("<redacted>"), "the journal's last error")
        #expect(try run(["list", "--json"]).stdoutString.contains("<redacted>"), "the sync's last error")
        _ = try run(["show", "upstream", "90"])
        let fetched = try run(["fetch-upstream"])
        #expect(fetched.status != 0 && fetched.stderrString.contains("127.0.0.1:9"), "\(fetched.stderrString)")

        // The worker retries the upstream push and lands an upstream PR in autoland.
        try l.mergeUpstreamPR(["secret-landing.html": "l\n"], title: "Upstream change")
        try l.syncMirror()
        try l.world.wptsync(["retry", "--all"])
        // Another team's hook on the repository the landing pushes to (only wptsync pushes there from now on).
        let dump = l.world.dir.sub("hook-environment")
        let hgrc = try String(contentsOfFile: l.world.autoland + "/.hg/hgrc", encoding: .utf8)
        try writeFile(l.world.autoland + "/.hg/hgrc", hgrc + "\n[hooks]\nchangegroup.zz-environment = env >> \(dump)\n")
        var childEnvironments: [Int32: [UInt8]] = [:]
        var lastLook = Date.distantPast
        let worker = try runAndKill(builtProduct("wptsync"), ["worker", "--config", l.world.config, "--verbose"], in: l.world.dir.path,
                                    extraEnvironment: testEnvironment.merging(l.world.environment) { $1 }, when: {
            guard Date().timeIntervalSince(lastLook) > 0.05 else { return false }
            lastLook = Date()
            for pid in Self.descendants(ofCommandContaining: l.world.config) { childEnvironments[pid] = Self.environment(of: pid) }
            return FileManager.default.fileExists(atPath: dump) && exported(l)?.approvedBy.isEmpty == false
                && !childEnvironments.isEmpty
        }, limit: 120, extraDelay: 0.5)
        #expect(exported(l)?.approvedBy == ["wpt-sync-approver"], "the approver token was used: \(worker.output)")
        let hookEnvironment = try String(contentsOfFile: dump, encoding: .utf8)
        #expect(hookEnvironment.contains("HG_NODE=") && hookEnvironment.contains("HGPLAIN=1"), "\(hookEnvironment)")
        #expect(childEnvironments.values.contains { String(decoding: $0, as: UTF8.self).contains("HGPLAIN=1") }, "no command server seen")
        for command in [["landings", "--json"], ["events", "--json"], ["list", "--json"]] { _ = try run(command) }

        var places: [(String, Data)] = outputs.map { ("output of \($0.command)", Data($0.output.stdout + $0.output.stderr)) }
        places.append(("worker output", Data(worker.output.utf8)))
        places += childEnvironments.map { ("/proc/\($0.key)/environ", Data($0.value)) }
        for folder in [l.world.dir.path, URL(fileURLWithPath: l.clonePath).deletingLastPathComponent().path] {
            // The configuration (written here) names the URL secret, as an operator's would.
            places += try Self.files(under: folder).filter { $0 != l.world.config }.map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) }
        }
        #expect(places.contains { $0.0.hasSuffix("wptsync.sqlite-wal") } && places.contains { $0.0.hasSuffix("wptsync.jsonl") })
        for secret in [Self.tokens.github, Self.tokens.approver, Self.urlSecret] {
            for form in Self.forms(of: secret) {
                let leaks = places.filter { $0.1.range(of: Data(form.utf8)) != nil }.map(\.0)
                #expect(leaks.isEmpty, "\(form) is in \(leaks)")
            }
        }
    }

    func exported(_ l: LandingWorld) -> PullRequestSnapshot? {
        l.github.pullRequests.first { $0.title == "[Gecko Bug 90] s." }
    }

    /// A secret as is, JSON-escaped, and percent-encoded with upper- and lower-case hex.
    static func forms(of secret: String) -> [String] {
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: [secret]), as: UTF8.self).dropFirst(2).dropLast(2)
        let encoded = percentEncoded(secret)
        return [secret, String(json), json.replacingOccurrences(of: "\\/", with: "/"), encoded, encoded.lowercased()]
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))!
    }

    /// Every regular file under `folder`.
    static func files(under folder: String) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder))
        return enumerator.compactMap { $0 as? String }.map { "\(folder)/\($0)" }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// The processes below the one (a child of this test) whose command line holds `marker`.
    static func descendants(ofCommandContaining marker: String) -> [Int32] {
        let parents = processes()
        guard let root = parents.first(where: { $0.value == getpid() && commandLine(of: $0.key).contains(marker) })?.key else { return [] }
        var found: [Int32] = []
        var frontier = [root]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    /// Every process's parent, from `/proc/<pid>/stat`.
    static func processes() -> [Int32: Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.reduce(into: [:]) { parents, pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
    }

    static func commandLine(of pid: Int32) -> String {
        String(decoding: environment(of: pid, file: "cmdline"), as: UTF8.self)
    }

    static func environment(of pid: Int32, file: String = "environ") -> [UInt8] {
        FileManager.default.contents(atPath: "/proc/\(pid)/\(file)").map { Array($0) } ?? []
    }
}
