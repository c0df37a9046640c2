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

        let store = try readStore(root.table("store"), resolve: resolve)
        let storePath = store.path
        let paths = try readPaths(root.table("paths"))
        let gecko = try readGeckos(root.tables("gecko"), resolve: resolve)
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
