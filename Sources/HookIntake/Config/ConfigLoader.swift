import Foundation
import SyncCore
import TOMLKit

/// Loads and validates the TOML configuration file.
public enum ConfigLoader {
    /// The file to use: `explicit` if given, else `$WPTSYNC_CONFIG`, else `./wptsync.toml`.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["WPTSYNC_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        let local = FileManager.default.currentDirectoryPath + "/wptsync.toml"
        guard FileManager.default.fileExists(atPath: local) else { throw .notFound(searched: ["--config", "WPTSYNC_CONFIG", local]) }
        return local
    }

    /// Reads and validates the configuration at `file`.
    public static func load(file: String) throws(ConfigError) -> Config {
        var info = stat()
        guard stat(file, &info) == 0 else { throw .unreadable(file: file, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable(file: file, reason: "it is a folder, not a file")
        default: throw .unreadable(file: file, reason: "it is not a regular file (a FIFO, a device or a socket)")
        }
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: file, reason: String(cString: strerror(errno))) }
        let data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(file: file, reason: "it is not UTF-8 text") }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return try parse(text, file: file, baseDirectory: base)
    }

    /// Validates configuration text; relative paths are resolved against `baseDirectory`.
    public static func parse(_ text: String, file: String, baseDirectory: String) throws(ConfigError) -> Config {
        if let (line, column) = firstNUL(in: text) {
            throw .syntax(file: file, line: line, column: column, reason: "holds a NUL byte; a configuration file is text")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw .syntax(file: file, line: 0, column: 0, reason: "\(error)")
        }
        let root = TableReader(table, path: "", file: file, directory: baseDirectory)
        let resolve = root.resolve

        let storeTable = try root.table("store")
        let storePath = try storeTable?.nonEmptyString("path").map(resolve) ?? resolve("wptsync.sqlite")
        var store = StoreSettings(path: storePath, spool: try storeTable?.nonEmptyString("spool").map(resolve),
                                  busyTimeoutMilliseconds: try storeTable?.integer("busy_timeout_ms", in: Ranges.busyTimeoutMilliseconds) ?? 250)
        store.postgres = try storeTable.flatMap { reader throws(ConfigError) in try readPostgres(reader, resolve: resolve) }
        try storeTable?.rejectUnknownKeys()

        let paths = try readPaths(root.table("paths"))
        var gecko: [GeckoRepository] = []
        for entry in try root.tables("gecko") {
            let repo = try readGecko(entry, resolve: resolve)
            if repo.name == "wpt" {
                throw .invalid(file: file, key: entry.name("name"), reason: "\"wpt\" is the wpt mirror's name in the journal; choose another")
            }
            if gecko.contains(where: { $0.name == repo.name }) {
                throw .invalid(file: file, key: entry.name("name"), reason: "repeats the name \"\(repo.name)\"")
            }
            try refuseSharedGitRepository(repo, among: gecko, reader: entry)
            gecko.append(repo)
        }
        let wpt = try root.table("wpt").map { reader throws(ConfigError) in try readMirror(reader, resolve: resolve) }
        let github = try root.table("github").map(readGitHub)
        let upstream = try readUpstream(root.table("upstream"))
        let landing = try readLanding(root.table("landing"), gecko: gecko, storePath: storePath, resolve: resolve)
        let worker = try readWorker(root.table("worker"))
        let log = try readLog(root.table("log"), resolve: resolve)
        let status = try readStatus(root.table("status"))
        let serve = try readServe(root.table("serve"))
        let downstream = try readDownstream(root.table("downstream"), storePath: storePath, resolve: resolve,
                                            central: gecko.first { $0.role == .central }, landing: landing)
        let autoland = try readAutoland(root.table("autoland"), gecko: gecko, resolve: resolve)
        let commitMap = try root.table("commit_map").map(readCommitMap)
        try root.rejectUnknownKeys()
        var config = Config(store: store, paths: paths, gecko: gecko, wpt: wpt, github: github, upstream: upstream,
                            landing: landing, worker: worker, log: log)
        config.status = status
        config.serve = serve
        config.downstream = downstream
        config.autoland = autoland
        config.commitMap = commitMap
        return config
    }

    /// Line and column (1-based) of the first NUL byte: TOML's parser would silently stop there.
    private static func firstNUL(in text: String) -> (line: Int, column: Int)? {
        var line = 1, column = 1
        for byte in text.utf8 {
            if byte == 0 { return (line, column) }
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }

    private static func seconds(_ value: Double) -> String { String(format: "%g", value) }

    private static func readPaths(_ reader: TableReader?) throws(ConfigError) -> PathPrefixes {
        guard let reader else { return PathPrefixes() }
        var paths = PathPrefixes()
        for key in ["wpt", "meta"] {
            guard let value = try reader.string(key) else { continue }
            let parts = value.split(separator: "/")
            guard !value.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw .invalid(file: reader.file, key: reader.name(key), reason: "must be a relative path inside the repository, got \"\(Redactor.url(value))\"")
            }
            let clean = parts.joined(separator: "/")
            if key == "wpt" { paths.wpt = clean } else { paths.meta = clean }
        }
        try reader.rejectUnknownKeys()
        return paths
    }

    private static func readGecko(_ reader: TableReader, resolve: (String) -> String) throws(ConfigError) -> GeckoRepository {
        let name = try reader.requiredString("name")
        guard name.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")) }) else {
            throw .invalid(file: reader.file, key: reader.name("name"), reason: "may hold only letters, digits, - and _")
        }
        let path = resolve(try reader.requiredString("path"))
        let roleText = try reader.requiredString("role")
        guard let role = GeckoRole(rawValue: roleText) else {
            throw .invalid(file: reader.file, key: reader.name("role"),
                           reason: "must be one of \(GeckoRole.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(roleText))\"")
        }
        let url = try reader.string("url")
        if let url { try requireHTTP(url, reader: reader, key: "url") }
        let sources = try reader.strings("sources") ?? GeckoRepository.defaultSources
        let known = ["push", "serve", "pull", "unbundle", "strip", "bundle", "push-response"]
        if let odd = sources.first(where: { !known.contains($0) }) {
            throw .invalid(file: reader.file, key: reader.name("sources"), reason: "has unknown source \"\(odd)\" (known: \(known.joined(separator: ", ")))")
        }
        var repo = GeckoRepository(name: name, path: path, role: role, url: url, enabled: try reader.bool("enabled") ?? true, sources: sources)
        (repo.kind, repo.branch) = try readGeckoKind(reader, role: role)
        try reader.rejectUnknownKeys()
        return repo
    }

    private static func readMirror(_ reader: TableReader, resolve: (String) -> String) throws(ConfigError) -> WPTMirror {
        let path = resolve(try reader.requiredString("path"))
        let refs = try reader.strings("refs") ?? WPTMirror.defaultRefs
        for pattern in refs where !RefName.isValid(String(pattern.map { $0 == "*" ? "x" : $0 })) {
            throw .invalid(file: reader.file, key: reader.name("refs"), reason: "has an invalid ref pattern \"\(pattern)\" (full names like refs/heads/master; * matches one component)")
        }
        let forkOwner = try reader.nonEmptyString("fork_owner")
        if let forkOwner, !PushTarget.isAccountName(forkOwner) {
            throw .invalid(file: reader.file, key: reader.name("fork_owner"), reason: "must be a GitHub account name (letters, digits and -), got \"\(Redactor.url(forkOwner))\"")
        }
        let mirror = WPTMirror(path: path, refs: refs, upstreamPushURL: try reader.string("upstream_push_url"),
                               fetchURL: try reader.string("fetch_url"), forkOwner: forkOwner, enabled: try reader.bool("enabled") ?? true)
        try reader.rejectUnknownKeys()
        return mirror
    }

    private static func readGitHub(_ reader: TableReader) throws(ConfigError) -> GitHubSettings {
        var settings = GitHubSettings()
        if let api = try reader.string("api") {
            try requireHTTP(api, reader: reader, key: "api")
            settings.apiBaseURL = api.hasSuffix("/") ? String(api.dropLast()) : api
        }
        if let repo = try reader.string("repo") {
            let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                throw .invalid(file: reader.file, key: reader.name("repo"), reason: "must be owner/name, got \"\(Redactor.url(repo))\"")
            }
            settings.repository = repo
        }
        settings.token = try secret(reader, "token") ?? settings.token
        if let approver = try secret(reader, "approver_token") {
            settings.approverToken = approver
            settings.approverTokenIsExplicit = true
        }
        try reader.rejectUnknownKeys()
        return settings
    }

    static func secret(_ reader: TableReader, _ prefix: String) throws(ConfigError) -> SecretSource? {
        let env = try reader.nonEmptyString("\(prefix)_env")
        let file = try reader.nonEmptyString("\(prefix)_file")
        switch (env, file) {
        case (nil, nil): return nil
        case (let env?, nil): return .environment(env)
        case (nil, let file?): return .file(reader.resolve(file))
        case (_?, _?): throw .invalid(file: reader.file, key: reader.name("\(prefix)_env"), reason: "and `\(reader.name("\(prefix)_file"))` are both set; choose one")
        }
    }

    private static func readUpstream(_ reader: TableReader?) throws(ConfigError) -> UpstreamSettings {
        guard let reader else { return UpstreamSettings() }
        var settings = UpstreamSettings()
        settings.label = try reader.string("label") ?? settings.label
        settings.bugzillaURL = try reader.string("bugzilla_url") ?? settings.bugzillaURL
        settings.statusContext = try reader.string("status_context") ?? settings.statusContext
        settings.requiredChecks = try reader.strings("required_checks") ?? settings.requiredChecks
        settings.mergeWithoutChecks = try reader.bool("merge_without_checks") ?? settings.mergeWithoutChecks
        if let policy = try reader.string("on_conflict") {
            guard let known = ConflictPolicy(rawValue: policy) else {
                throw .invalid(file: reader.file, key: reader.name("on_conflict"),
                               reason: "must be one of \(ConflictPolicy.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(policy))\"")
            }
            settings.onConflict = known
        }
        if let method = try reader.string("merge_method") {
            guard UpstreamSettings.mergeMethods.contains(method) else {
                throw .invalid(file: reader.file, key: reader.name("merge_method"),
                               reason: "must be one of \(UpstreamSettings.mergeMethods.joined(separator: ", ")), got \"\(Redactor.url(method))\"")
            }
            settings.mergeMethod = method
        }
        settings.recheckSeconds = try reader.number("recheck_seconds", in: Ranges.periodSeconds, unit: "seconds") ?? settings.recheckSeconds
        try reader.rejectUnknownKeys()
        return settings
    }

    private static func readWorker(_ reader: TableReader?) throws(ConfigError) -> WorkerSettings {
        guard let reader else { return WorkerSettings() }
        var worker = WorkerSettings()
        worker.maxAttempts = try reader.integer("max_attempts", in: Ranges.maxAttempts) ?? worker.maxAttempts
        for (key, target, range) in [("lease_seconds", \WorkerSettings.leaseSeconds, Ranges.leaseSeconds),
                                     ("poll_seconds", \.pollSeconds, Ranges.pollSeconds),
                                     ("backoff_base_seconds", \.backoff.baseSeconds, Ranges.periodSeconds),
                                     ("backoff_max_seconds", \.backoff.maxSeconds, Ranges.backoffMaxSeconds)] {
            worker[keyPath: target] = try reader.number(key, in: range, unit: "seconds") ?? worker[keyPath: target]
        }
        guard worker.backoff.maxSeconds >= worker.backoff.baseSeconds else {
            throw .invalid(file: reader.file, key: reader.name("backoff_max_seconds"),
                           reason: "(\(seconds(worker.backoff.maxSeconds))) is below `\(reader.name("backoff_base_seconds"))` (\(seconds(worker.backoff.baseSeconds)))")
        }
        try reader.rejectUnknownKeys()
        return worker
    }

    private static func readLog(_ reader: TableReader?, resolve: (String) -> String) throws(ConfigError) -> LogSettings {
        guard let reader else { return LogSettings() }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        let level = try reader.string("level") ?? "info"
        guard levels.contains(level) else {
            throw .invalid(file: reader.file, key: reader.name("level"), reason: "must be one of \(levels.joined(separator: ", ")), got \"\(Redactor.url(level))\"")
        }
        let settings = LogSettings(file: try reader.nonEmptyString("file").map(resolve), level: level)
        try reader.rejectUnknownKeys()
        return settings
    }

    static func requireHTTP(_ url: String, reader: TableReader, key: String) throws(ConfigError) {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw .invalid(file: reader.file, key: reader.name(key), reason: "must be an http or https URL, got \"\(Redactor.url(url))\"")
        }
    }
}

extension ConfigLoader {
    /// What stops every `wptsync` command but not the hooks, which only record pushes (so an
    /// upstreaming mistake never sends every push to the spool): a fork as `wpt.upstream_push_url`
    /// without `wpt.fetch_url`.
    public static func commandProblems(in config: Config, file: String) -> [ConfigError] {
        guard let owner = config.pullRequestHeadOwner, config.wpt?.fetchURL == nil else { return [] }
        return [.invalid(file: file, key: "wpt.fetch_url", reason: "is required when `wpt.upstream_push_url` is a fork (owned by \(owner)):"
            + " branches are built on upstream's master, which a fork does not keep up to date")]
    }
}
