import Foundation
import Testing
import RepoOps
import TestSupport

/// Children get only what they need from this process's environment, which may hold tokens.
@Suite struct ChildEnvironmentTests {
    @Test func theDefaultIsAnAllowlistAndCallersAddWhatTheirChildNeeds() throws {
        #expect(ProcessRunner.childEnvironment(from: ["PATH": "/bin", "LC_TIME": "C", "HGRCPATH": "", "GITHUB_TOKEN": "x",
                                                      "SSH_AUTH_SOCK": "/s"]) == ["PATH": "/bin", "LC_TIME": "C", "HGRCPATH": ""])
        // hg over https behind a proxy needs these; their passwords are redacted (`Application.secretRedactor`).
        let proxies = ["http_proxy": "http://p:3128", "HTTPS_PROXY": "http://me:pw@p:3128", "all_proxy": "socks5://p:1080", "NO_PROXY": "localhost"]
        #expect(ProcessRunner.childEnvironment(from: proxies.merging(["GITHUB_TOKEN": "x"]) { $1 }) == proxies)
        #expect(ProcessRunner.sshAgent(from: ["SSH_AUTH_SOCK": "/s", "GITHUB_TOKEN": "x"]) == ["SSH_AUTH_SOCK": "/s"])
        let names = Self.names(try ProcessRunner.run("env", ["-0"], extraEnvironment: ["ADDED": "yes"]).stdout)
        #expect(names.contains("PATH") && names.contains("ADDED"))
        #expect(Self.unexpected(names, also: ["ADDED"]).isEmpty, "\(names)")
    }

    @Test func theCommandServerAndTheHooksItRunsGetOnlyTheAllowlist() throws {
        let fixture = try HgFixture()
        try fixture.write("a", "a\n")
        try fixture.commit("one")
        let target = TempDir()
        try sh("hg", ["init", target.path])
        let dump = target.sub("hook-environment")
        try writeFile(target.sub(".hg/hgrc"), "[hooks]\nchangegroup.environment = env -0 > \(dump)\n")
        let repo = try HgRepository(path: fixture.root, environment: ["HGRCPATH": ""])
        let server = Self.names(Array(try #require(FileManager.default.contents(atPath: "/proc/\(repo.serverProcessID)/environ"))))
        #expect(server.contains("HGPLAIN") && Self.unexpected(server).isEmpty, "\(server)")
        #expect(try repo.run(["push", target.path]).status == 0)
        // Mercurial adds HG and HG_* for its hooks, the shell PWD and the like.
        let hook = Self.names(Array(try #require(FileManager.default.contents(atPath: dump))))
        #expect(hook.contains("HG_NODE"))
        #expect(Self.unexpected(hook.filter { !$0.hasPrefix("HG") }, also: ["PWD", "OLDPWD", "SHLVL", "_"]).isEmpty, "\(hook)")
    }

    /// The variable names of a NUL-separated environment.
    static func names(_ environ: [UInt8]) -> [String] {
        environ.split(separator: 0).map { String(decoding: $0.prefix { $0 != UInt8(ascii: "=") }, as: UTF8.self) }
    }

    /// Those of `names` that neither the allowlist nor `also` accounts for.
    static func unexpected(_ names: [String], also: Set<String> = []) -> [String] {
        names.filter { !ProcessRunner.inheritedNames.contains($0) && !$0.hasPrefix("LC_") && !also.contains($0) }
    }
}

@Suite("Children spawned at once")
struct ConcurrentSpawnTests {
    /// Each child reads its stdin to the end. A pipe end inherited by a child another thread spawned
    /// meanwhile kept that end open, so two such children could wait for each other forever (seen
    /// with two local Landos running `git mailinfo` in the same test process).
    @Test func childrenStartedFromSeveralThreadsAllSeeTheEndOfTheirInput() async throws {
        let input = Array(repeating: UInt8(ascii: "x"), count: 4096)
        let outcomes = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (0..<60).map { _ in
                        let out = try? ProcessRunner.run("/bin/cat", [], stdin: input, timeout: 20)
                        return out.map { !$0.timedOut && $0.status == 0 && $0.stdout == input } ?? false
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.count == 240 && outcomes.allSatisfy { $0 }, "\(outcomes.filter { !$0 }.count) of \(outcomes.count) children never saw the end of their input")
    }
}
