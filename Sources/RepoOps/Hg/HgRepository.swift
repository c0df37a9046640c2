import Foundation

/// Reads one Mercurial repository through a single long-lived command server
/// (`hg serve --cmdserver pipe`), so each query costs a round trip instead of a Python start.
///
/// Not thread-safe: confine an instance to one task or worker. `close()` (or releasing the
/// instance) stops the server.
///
/// Revision arguments are anything `hg -r` accepts: a node or its prefix, a number, a tag,
/// bookmark or branch name, or a revset; where one changeset is meant and a revset yields
/// several, the last one counts, as in hg itself.
public final class HgRepository {
    /// The repository root as given.
    public let path: String
    private let server: CommandServer

    /// Starts the command server for the repository at `path`.
    /// - Parameters:
    ///   - hg: the `hg` executable, a path or a name looked up on `PATH`.
    ///   - environment: added to the server's environment (`ProcessRunner.childEnvironment()`: none of
    ///     this process's other variables, which may hold tokens), for example `HGRCPATH`;
    ///     `HGPLAIN=1` and `HGENCODING=utf-8` are always set.
    public init(path: String, hg: String = "hg", environment: [String: String] = [:]) throws(HgError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path + "/.hg", isDirectory: &isDirectory),
              isDirectory.boolValue else { throw .notARepository(path: path) }
        self.path = path
        var env = ProcessRunner.childEnvironment()
        env.merge(environment) { $1 }
        env["HGPLAIN"] = "1"
        env["HGENCODING"] = "utf-8"
        server = try CommandServer(hg: hg, repository: path, environment: env)
    }

    /// Stops the command server; later queries throw `HgError.closed`.
    public func close() { server.close() }

    /// The process id of the command server, which serves every query of this instance.
    public var serverProcessID: Int32 { server.pid }

    /// Wall time spent waiting for the command server's commands so far (for benchmarks).
    public var timeInCommands: Duration { server.busyTime }

    /// Commands sent to the command server so far (for tests and benchmarks).
    public var commandsRun: Int { server.commandCount }

    /// Output and error messages the command server sent so far (for tests and benchmarks).
    public var outputMessages: Int { server.outputMessageCount }

    // MARK: - Escape hatch

    /// Runs any hg command (without the leading `hg`) through the command server.
    /// A non-zero status is returned, not thrown.
    public func run(_ arguments: [String]) throws(HgError) -> HgCommandResult {
        try server.runCommand(arguments.map { Array($0.utf8) })
    }

    /// Like `run(_:)`, with raw byte arguments (for non-UTF-8 paths).
    public func run(bytes arguments: [[UInt8]]) throws(HgError) -> HgCommandResult {
        try server.runCommand(arguments)
    }

    // MARK: - Revisions

    /// The full 40-hex node of `revision`.
    public func node(of revision: String) throws(HgError) -> String {
        let output = try check(["log", "-r", revision, "-T", "{node}\n"], revision: revision)
        guard let node = output.split(separator: 0x0a).last else {
            throw .unknownRevision(revision: revision, repository: path)
        }
        return String(decoding: node, as: UTF8.self)
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: String, of descendant: String) throws(HgError) -> Bool {
        let ancestorNode = try node(of: ancestor)
        let descendantNode = try node(of: descendant)
        let revset = "\(ancestorNode) and ::\(descendantNode)"
        return try !check(["log", "-r", revset, "-T", "{node}"], revision: revset).isEmpty
    }

    /// The full nodes of `revset`, in revset order.
    public func nodes(_ revset: String) throws(HgError) -> [String] {
        try check(["log", "-r", revset, "-T", "{node}\n"], revision: revset).split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The changesets of `revset`, in revset order, with raw author and description bytes.
    public func changesets(_ revset: String) throws(HgError) -> [HgChangeset] {
        let listing = try check(["log", "-r", revset, "-T", "{node} {p1node} {p2node}\n"], revision: revset)
        let nullNode = String(repeating: "0", count: 40)
        return try listing.split(separator: 0x0a).map { (line) throws(HgError) in
            let nodes = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            return try changeset(node: nodes[0], parents: nodes.dropFirst().filter { $0 != nullNode })
        }
    }

    /// The single changeset `revision` names.
    public func changeset(_ revision: String) throws(HgError) -> HgChangeset {
        guard let last = try changesets(revision).last else {
            throw .unknownRevision(revision: revision, repository: path)
        }
        return last
    }

    /// Reads the raw changelog entry, the one place hg gives descriptions without transcoding.
    private func changeset(node: String, parents: [String]) throws(HgError) -> HgChangeset {
        let entry = try check(["debugdata", "-c", node], revision: node)
        guard let changeset = HgChangeset(node: node, parents: parents, rawEntry: entry) else {
            throw .protocolError(repository: path, detail: "unparsable changelog entry for \(node)")
        }
        return changeset
    }

    // MARK: - Files

    /// The files `revision` added, modified or removed relative to its first parent,
    /// with copy and rename sources.
    public func changes(in revision: String) throws(HgError) -> [HgFileChange] {
        HgOutput.changes(try check(["status", "--change", revision, "-C", "-0"], revision: revision))
    }

    /// The content of `path` at `revision` (for a symlink, its target).
    public func contents(of path: HgPath, at revision: String) throws(HgError) -> [UInt8] {
        guard let file = try files(at: revision, paths: [path])[path] else {
            throw .noSuchFile(path: path, revision: revision, repository: self.path)
        }
        return file.data
    }

    /// The flags of the given paths at `revision`; paths absent there are left out.
    public func flags(at revision: String, paths: [HgPath]) throws(HgError) -> [HgPath: HgFileFlags] {
        var result: [HgPath: HgFileFlags] = [:]
        for batch in batches(paths) {
            let output = try query(["files", "-r", revision, "-T", "{flags}\\0{path}\\0"], paths: batch, revision: revision)
            result.merge(HgOutput.flags(output)) { $1 }
        }
        return result
    }

    /// Contents and flags of the given paths at `revision`; paths absent there are left out.
    /// Costs two commands per 90 paths; hg looks the paths up without walking the manifest
    /// as long as they all exist (a missing one makes that batch's flags query walk it).
    public func files(at revision: String, paths: [HgPath]) throws(HgError) -> [HgPath: HgFile] {
        let flags = try flags(at: revision, paths: paths)
        var result: [HgPath: HgFile] = [:]
        for batch in batches(paths.filter { flags[$0] != nil }) {
            let output = try query(["cat", "-r", revision, "-T", "{path}\\0{data|count}\\0{data}"],
                                   paths: batch, revision: revision)
            guard let contents = HgOutput.contents(output) else {
                throw .protocolError(repository: path, detail: "unparsable hg cat output at \(revision)")
            }
            for (file, data) in contents {
                result[file] = HgFile(data: data, flags: flags[file] ?? .regular)
            }
        }
        return result
    }

    /// `hg export --git -r revision`, as raw bytes.
    public func export(_ revision: String) throws(HgError) -> [UInt8] {
        try check(["export", "--git", "-r", revision], revision: revision)
    }

    // MARK: - Helpers

    /// hg answers per-path queries without walking the whole manifest only below 100 patterns.
    private func batches(_ paths: [HgPath]) -> [ArraySlice<HgPath>] {
        let unique = Array(Set(paths))
        return stride(from: 0, to: unique.count, by: 90).map { unique[$0..<min($0 + 90, unique.count)] }
    }

    /// Runs a per-path command; status 1 only means that some paths do not exist.
    private func query(_ arguments: [String], paths: ArraySlice<HgPath>, revision: String) throws(HgError) -> [UInt8] {
        let result = try server.runCommand(arguments.map { Array($0.utf8) } + paths.map(\.pattern))
        if result.status == 0 || result.status == 1 { return result.output }
        throw failure(arguments, result, revision: revision)
    }

    /// Runs a command and returns its output, throwing unless it exits with status 0.
    private func check(_ arguments: [String], revision: String) throws(HgError) -> [UInt8] {
        let result = try run(arguments)
        guard result.status == 0 else { throw failure(arguments, result, revision: revision) }
        return result.output
    }

    private func failure(_ arguments: [String], _ result: HgCommandResult, revision: String) -> HgError {
        let message = result.errorString.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.contains("unknown revision") || message.contains("invalid revision identifier") {
            return .unknownRevision(revision: revision, repository: path)
        }
        return .commandFailed(arguments: arguments, status: result.status, stderr: message, repository: path)
    }
}
