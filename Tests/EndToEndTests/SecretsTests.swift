import Foundation
import LocalServices
import RepoOps
import SyncCore
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
        // Every hg wptsync starts from now on records its arguments and environment.
        let hgCalls = try Self.recordHgCalls(of: l.world)
        // The landing clones again if the world's set-up made the clone.
        try? FileManager.default.removeItem(atPath: l.clonePath)
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
        let worker = try runAndKill(builtProduct("wptsync"), ["worker", "--config", l.world.config, "--verbose"], in: l.world.dir.path,
                                    extraEnvironment: testEnvironment.merging(l.world.environment) { $1 }, when: {
            FileManager.default.fileExists(atPath: dump) && exported(l)?.approvedBy.isEmpty == false
        }, limit: 120, extraDelay: 0.5)
        #expect(exported(l)?.approvedBy == ["wpt-sync-approver"], "the approver token was used: \(worker.output)")
        let hookEnvironment = try String(contentsOfFile: dump, encoding: .utf8)
        #expect(hookEnvironment.contains("HG_NODE=") && hookEnvironment.contains("HGPLAIN=1"), "\(hookEnvironment)")
        // The command servers (of autoland, mozilla-central and the landing clone) and the landing's clone.
        let calls = try Self.files(under: hgCalls).filter { $0.hasSuffix(".args") }
            .map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(calls.filter { $0.hasPrefix("serve --cmdserver") }.count >= 3 && calls.contains { $0.hasPrefix("clone") }, "\(calls)")
        for environment in try Self.files(under: hgCalls).filter({ !$0.hasSuffix(".args") }) {
            let names = Self.names(Array(try #require(FileManager.default.contents(atPath: environment))))
            #expect(names.contains("HGPLAIN") && Self.unexpected(names).isEmpty, "\(names)")
        }
        for command in [["landings", "--json"], ["events", "--json"], ["list", "--json"]] { _ = try run(command) }

        var places: [(String, Data)] = outputs.map { ("output of \($0.command)", Data($0.output.stdout + $0.output.stderr)) }
        places.append(("worker output", Data(worker.output.utf8)))
        // The hg calls' environments are among the files written there.
        places += try Self.writtenFiles(l.world, also: URL(fileURLWithPath: l.clonePath).deletingLastPathComponent().path)
        #expect(places.contains { $0.0.hasSuffix("wptsync.sqlite-wal") } && places.contains { $0.0.hasSuffix("wptsync.jsonl") })
        Self.expectNoLeak(of: [Self.tokens.github, Self.tokens.approver, Self.urlSecret], in: places)
    }

    /// A password in `upstream_push_url`, the URL libgit2 pushes the sync branches to.
    @Test func aPasswordInThePushURLReachesNoOutputAndNoFile() throws {
        let u = try UpstreamWorld()
        let (daemon, address) = try startGitDaemon(basePath: u.world.dir.path)
        defer { daemon.stop() }
        let pushURL = address.replacingOccurrences(of: "git://", with: "git://bot:\(Self.urlSecret)@") + "/upstream.git"
        let config = try String(contentsOfFile: u.world.config, encoding: .utf8)
        try writeFile(u.world.config, config.replacingOccurrences(of: "upstream_push_url = \"\(u.upstream)\"", with: "upstream_push_url = \"\(pushURL)\""))
        // Upstream refuses the first push, so the push URL is in an error.
        let hook = u.upstream + "/hooks/pre-receive"
        try writeFile(hook, "#!/bin/sh\necho refused >&2\nexit 1\n", executable: true)
        try u.world.landInGecko(["testing/web-platform/tests/pushed.html": "p\n"], message: "Bug 92 - p. r=x")
        var outputs = [try u.world.wptsyncResult(["process", "--verbose"])]
        #expect(outputs[0].status != 0 && outputs[0].stderrString.contains("127.0.0.1:\(daemon.port)/upstream.git"), "\(outputs[0].stderrString)")
        try FileManager.default.removeItem(atPath: hook)
        for command in [["retry", "--all"], ["process"], ["list", "--json"], ["events", "--json"]] {
            outputs.append(try u.world.wptsyncResult(command + ["--verbose"]))
        }
        #expect(u.github.pullRequests.contains { $0.headRef == "gecko/92" }, "pushed through the URL with a password: \(outputs.map(\.stderrString))")
        let places = outputs.map { ("output", Data($0.stdout + $0.stderr)) } + (try Self.writtenFiles(u.world))
        Self.expectNoLeak(of: [Self.urlSecret], in: places)
    }

    /// A password in `[landing] push_url`: the landing clone is made, pulled and pushed without the
    /// URL in any process's arguments or any file (Mercurial through its command server, git
    /// through libgit2), and the landing still arrives.
    @Test(arguments: [GeckoKind.hg, .git])
    func aPasswordInTheLandingPushURLReachesNoProcessArgumentsAndNoFile(kind: GeckoKind) throws {
        let l = try LandingWorld(geckoKind: kind)
        let server: TestServer, pushURL: String
        if kind == .hg {
            let hg = try sh("sh", ["-c", "command -v hg"]).trimmingCharacters(in: .whitespacesAndNewlines)
            server = try TestServer(hg) { port in
                ["serve", "-R", l.world.autoland, "-a", "127.0.0.1", "-p", "\(port)",
                 "--config", "web.push_ssl=false", "--config", "web.allow-push=*"]
            }
            pushURL = "http://bot:\(Self.urlSecret)@127.0.0.1:\(server.port)/"
        } else {
            let (daemon, address) = try startGitDaemon(basePath: URL(fileURLWithPath: l.world.autoland).deletingLastPathComponent().path)
            server = daemon
            pushURL = address.replacingOccurrences(of: "git://", with: "git://bot:\(Self.urlSecret)@") + "/" + URL(fileURLWithPath: l.world.autoland).lastPathComponent
        }
        defer { server.stop() }
        let config = try String(contentsOfFile: l.world.config, encoding: .utf8)
        try writeFile(l.world.config, config.replacingOccurrences(of: "[landing]\n", with: "[landing]\npush_url = \"\(pushURL)\"\n"))
        try? FileManager.default.removeItem(atPath: l.clonePath)
        let calls = [try Self.recordHgCalls(of: l.world), try Self.recordHgCalls(of: l.world, program: "git")]

        try l.mergeUpstreamPR(["through-url.html": "u\n"], title: "Landed through a URL with a password")
        try l.syncMirror()
        let outputs = try l.upstreamWorld.processUntilSettled()
        #expect(try l.autolandFile("testing/web-platform/tests/through-url.html") == "u\n", "\(outputs)")
        let arguments = try calls.flatMap { try Self.files(under: $0) }.filter { $0.hasSuffix(".args") }
            .map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) }
        #expect(kind == .git || arguments.contains { String(decoding: $0.1, as: UTF8.self).hasPrefix("init") }, "the hg clone was made here")
        let places = arguments + outputs.map { ("output", Data($0.utf8)) }
            + (try Self.writtenFiles(l.world, also: URL(fileURLWithPath: l.clonePath).deletingLastPathComponent().path))
        Self.expectNoLeak(of: [Self.urlSecret], in: places)
    }

    /// Every file under the world's folder (and `also`) but its configuration, which names the
    /// URL secret, as an operator's would.
    static func writtenFiles(_ world: SyncWorld, also: String? = nil) throws -> [(String, Data)] {
        try ([world.dir.path] + (also.map { [$0] } ?? [])).flatMap { folder in
            try files(under: folder).filter { $0 != world.config }.map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) }
        }
    }

    static func expectNoLeak(of secrets: [String], in places: [(String, Data)]) {
        for secret in secrets {
            for form in forms(of: secret) {
                let leaks = places.filter { $0.1.range(of: Data(form.utf8)) != nil }.map(\.0)
                #expect(leaks.isEmpty, "\(form) is in \(leaks)")
            }
        }
    }

    /// Puts a `program` (hg by default) first on the `PATH` of the world's `wptsync` commands that
    /// writes its arguments (`<n>.args`) and environment (`<n>`, NUL-separated) to a file of the
    /// returned folder, then runs the real one.
    static func recordHgCalls(of world: SyncWorld, program: String = "hg") throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let real = try #require(path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) })
        let (bin, calls) = (world.dir.sub("wrapper-bin"), world.dir.sub("\(program)-calls"))
        try FileManager.default.createDirectory(atPath: calls, withIntermediateDirectories: true)
        try writeFile(bin + "/" + program, """
            #!/bin/sh
            call=$(mktemp "\(calls)/call.XXXXXX")
            printf '%s ' "$@" > "$call.args"
            env -0 > "$call"
            exec "\(real)" "$@"

            """, executable: true)
        world.environment["PATH"] = bin + ":" + path
        return calls
    }

    /// The variable names of a NUL-separated environment.
    static func names(_ environ: [UInt8]) -> [String] {
        environ.split(separator: 0).map { String(decoding: $0.prefix { $0 != UInt8(ascii: "=") }, as: UTF8.self) }
    }

    /// Those of `names` that neither the allowlist nor the shell (`PWD`, `SHLVL`…) accounts for.
    static func unexpected(_ names: [String]) -> [String] {
        names.filter { !ProcessRunner.inheritedNames.contains($0) && !$0.hasPrefix("LC_") && !["PWD", "OLDPWD", "SHLVL", "_"].contains($0) }
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
        // Regular files only: the worker's wake-up FIFO holds nothing and would block a read.
        return enumerator.compactMap { $0 as? String }.map { "\(folder)/\($0)" }.filter { path in
            var info = stat()
            return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }
}
