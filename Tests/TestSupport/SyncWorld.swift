import Foundation
import RepoOps
import SyncCore

/// The path of a product built next to the test bundle (e.g. `wptsync`, `wptsync-hook`).
public func builtProduct(_ name: String) -> String {
    let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: bundle).deletingLastPathComponent()
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return name
}

/// The project folder (holding `hooks/` and `vcs-config/`).
public let projectRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A small world for end-to-end tests: a developer's Gecko clone, the autoland and central
/// repositories it pushes to, a bare wpt mirror, and a configuration naming them, with
/// wptsync's hooks installed by `wptsync install-hooks`.
public final class SyncWorld: @unchecked Sendable {
    public let dir: TempDir
    public let config: String
    public let gecko: HgFixture
    /// Mercurial (default), or git: then `autoland` and `central` are bare git repositories whose
    /// branches `autoland` and `main` play the roles, and `geckoClone` is the developer's git clone.
    public let geckoKind: GeckoKind
    public let geckoClone: String
    public let autoland: String
    public let central: String
    public let mirror: String
    public let store: String
    /// The PostgreSQL database holding the store (`[store] url`), or nil: the SQLite file `store`.
    public let storeURL: String?
    public let log: String

    /// Builds the world; `extraConfig` is appended to the configuration file.
    /// Extra environment for the `wptsync` commands this world runs.
    public var environment: [String: String] = [:]

    /// `storeURL` puts the event journal in that PostgreSQL database (`[store] url`).
    public init(extraConfig: String = "", storePath: String? = nil, upstreamURL: String? = nil, installHooks: Bool = true,
                dir: TempDir = TempDir("world"), geckoKind: GeckoKind = .hg, storeURL: String? = nil) throws {
        self.dir = dir
        self.geckoKind = geckoKind
        self.storeURL = storeURL
        geckoClone = dir.sub("gecko-git")
        let suffix = geckoKind == .git ? ".git" : ""
        autoland = dir.sub("autoland" + suffix); central = dir.sub("central" + suffix); mirror = dir.sub("wpt.git")
        store = dir.sub("state/wptsync.sqlite"); log = dir.sub("state/wptsync.jsonl")
        config = dir.sub("wptsync.toml")
        gecko = try HgFixture("gecko")
        try gecko.write("testing/web-platform/tests/README.md", "wpt\n")
        try gecko.write("dom/base/Document.cpp", "int x;\n")
        try gecko.commit("Initial import")
        if geckoKind == .git {
            try sh("git", ["init", "-q", "-b", "autoland", geckoClone])
            try writeFile(geckoClone + "/testing/web-platform/tests/README.md", "wpt\n")
            try writeFile(geckoClone + "/dom/base/Document.cpp", "int x;\n")
            try sh("git", ["add", "-A"], in: geckoClone)
            try sh("git", ["commit", "-q", "-m", "Initial import"], in: geckoClone)
            for (repo, branch) in [(autoland, "autoland"), (central, "main")] {
                try sh("git", ["init", "-q", "--bare", "-b", branch, repo])
                try sh("git", ["push", "-q", repo, "HEAD:refs/heads/\(branch)"], in: geckoClone)
            }
        } else {
            for repo in [autoland, central] {
                try sh("hg", ["init", repo])
                try gecko.hg(["push", "-q", repo])
            }
        }
        let kindLines = { (branch: String) in geckoKind == .git ? "kind = \"git\"\nbranch = \"\(branch)\"" : "" }
        try sh("git", ["init", "-q", "--bare", "-b", "master", mirror])
        try writeFile(config, """
            [store]
            path = "\(storePath ?? dir.sub("state/wptsync.sqlite"))"
            spool = "\(dir.sub("state/wptsync.spool"))"
            \(storeURL.map { "url = \"\($0)\"" } ?? "")

            [[gecko]]
            name = "autoland"
            path = "\(autoland)"
            role = "integration"
            \(kindLines("autoland"))

            [[gecko]]
            name = "mozilla-central"
            path = "\(central)"
            role = "central"
            \(kindLines("main"))

            [wpt]
            path = "\(mirror)"
            refs = ["refs/heads/master"]
            \(upstreamURL.map { "upstream_push_url = \"\($0)\"" } ?? "")

            [log]
            file = "\(log)"
            level = "debug"

            """ + extraConfig)
        if installHooks { try wptsync(["install-hooks", autoland, central, mirror]) }
    }

    /// Runs `wptsync` with this world's configuration; fails on a non-zero exit.
    @discardableResult
    public func wptsync(_ arguments: [String], stdin: String = "") throws -> String {
        try sh(builtProduct("wptsync"), arguments + ["--config", config], in: dir.path, env: environment, stdin: stdin)
    }

    /// Runs `wptsync` and returns its whole output, whatever the exit status.
    public func wptsyncResult(_ arguments: [String]) throws -> ProcessOutput {
        try ProcessRunner.run(builtProduct("wptsync"), arguments + ["--config", config], in: dir.path,
                              extraEnvironment: testEnvironment.merging(environment) { $1 })
    }

    /// Commits in the developer clone and pushes to `repository` (autoland by default), through its hook.
    @discardableResult
    public func landInGecko(_ files: [String: String], message: String, to repository: String? = nil) throws -> String {
        let node = try commitInGecko(files, message: message)
        guard geckoKind == .git else {
            try gecko.hg(["push", "-q", "-r", node, repository ?? autoland])
            return node
        }
        try pushGecko(to: repository ?? autoland)
        return node
    }

    /// Commits in the developer clone without pushing; returns the node.
    @discardableResult
    public func commitInGecko(_ files: [String: String], message: String) throws -> String {
        guard geckoKind == .git else {
            for (path, contents) in files { try gecko.write(path, contents) }
            return try gecko.commit(message)
        }
        for (path, contents) in files { try writeFile("\(geckoClone)/\(path)", contents) }
        try sh("git", ["add", "-A"], in: geckoClone)
        try sh("git", ["commit", "-q", "-m", message], in: geckoClone)
        return try sh("git", ["rev-parse", "HEAD"], in: geckoClone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Backs out `node` in the developer clone (`hg backout` with Gecko's message; `git revert`,
    /// whose message says "This reverts commit …") and pushes to autoland unless `push` is false.
    /// Returns the backout.
    @discardableResult
    public func backOutInGecko(_ node: String, bug: Int, push: Bool = true) throws -> String {
        guard geckoKind == .git else {
            try gecko.hg(["backout", "-r", node, "-m", "Backed out changeset \(node.prefix(12)) (bug \(bug)) for bustage", "-d", "0 0"])
            if push { try gecko.hg(["push", "-q", autoland]) }
            return try gecko.hg(["log", "-r", "tip", "-T", "{node}"])
        }
        try sh("git", ["revert", "--no-edit", node], in: geckoClone)
        if push { try pushGecko(to: autoland) }
        return try sh("git", ["rev-parse", "HEAD"], in: geckoClone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Pushes everything the developer clone has to `repository` (central by default), through its hook.
    public func pushGecko(to repository: String? = nil) throws {
        let target = repository ?? central
        guard geckoKind == .git else { try gecko.hg(["push", "-q", target]); return }
        try sh("git", ["push", "-q", target, "HEAD:refs/heads/\(target == central ? "main" : "autoland")"], in: geckoClone)
    }

    /// Makes a commit in a scratch clone of the mirror and pushes it to `ref`, through the mirror's hook.
    @discardableResult
    public func pushToMirror(file: String, contents: String, ref: String = "refs/heads/master") throws -> String {
        let clone = dir.sub("wpt-clone")
        if !FileManager.default.fileExists(atPath: clone) { try sh("git", ["init", "-q", "-b", "master", clone]) }
        try writeFile("\(clone)/\(file)", contents)
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["commit", "-q", "-m", "Change \(file)"], in: clone)
        let sha = try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
        try sh("git", ["push", "-q", mirror, "HEAD:\(ref)"], in: clone)
        return sha
    }
}
