import Foundation
import Glibc

/// What pushing a landing to the integration repository did.
public enum PushOutcome: Sendable, Equatable {
    case pushed
    /// The remote already had every changeset.
    case nothingToPush
    /// Someone pushed first: the remote has a head the landing is not based on.
    case lostRace(String)
    /// The destination refused it (one of its hooks, e.g. `pretxnchangegroup` or `pre-receive`),
    /// with the message: the same push would be refused again, so a person decides.
    case refused(String)
    /// A hook of the destination refused it because the tree is closed (hg.mozilla.org's
    /// `treeclosure` hook, "<tree> is CLOSED!"), with that line: the same push goes through once it reopens.
    case treeClosed(String)
    /// Any other error, with the message (unreachable, a lock, an interrupted connection): worth trying again.
    case failed(String)

    /// A failed push's outcome from its `message`: a closed tree whatever else it says; else refused
    /// when the caller read a lasting refusal in it (`refused`); else failed.
    static func failure(_ message: String, refused: Bool) -> PushOutcome {
        if let closed = message.split(whereSeparator: \.isNewline).first(where: { saysTreeClosed(String($0)) }) {
            return .treeClosed(closed.trimmingCharacters(in: .whitespaces))
        }
        return refused ? .refused(message) : .failed(message)
    }

    /// Whether Mercurial's message for a failed push says that a hook of the destination refused it.
    static func hgHookRefused(_ message: String) -> Bool {
        message.split(separator: "\n").contains { line in
            line.contains(" hook exited with status ") || line.contains(" hook failed") || line.contains(" hook raised ")
                || line.contains(" hook killed by signal ")
        }
    }

    /// Whether a line of a refusal says the tree is closed.
    static func saysTreeClosed(_ line: String) -> Bool {
        line.contains(" is CLOSED") || line.contains("treeclosure") || line.lowercased().contains("tree is closed")
    }
}

/// wptsync's own clone of a Gecko integration repository, without a work tree, where landing
/// commits are built (with Mercurial, in memory) before they are pushed. Every operation goes
/// through the clone's command server.
public final class LandingClone {
    public let hg: HgRepository

    /// Opens the clone at `path`, first making it there (no work tree) from `source` if it does not
    /// exist: `hg clone` from a repository on this machine (hard links), else an empty repository
    /// that pulls through the command server, so a password in a URL reaches no process's
    /// arguments, and no file (`hg clone` would write it to `.hg/hgrc`).
    public init(path: String, source: String) throws(ImportError) {
        let local = !source.contains("://")
        let created = !FileManager.default.fileExists(atPath: path + "/.hg")
        if created {
            try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                     withIntermediateDirectories: true)
            let arguments = local ? ["clone", "-U", "-q", "--", source, path] : ["init", "--", path]
            let result: ProcessOutput
            do {
                result = try ProcessRunner.run("hg", arguments, extraEnvironment: ProcessRunner.sshAgent().merging(["HGPLAIN": "1"]) { $1 })
            } catch { throw .hg(.hgNotFound(executable: "hg", reason: "\(error)")) }
            guard result.status == 0 else {
                throw .hg(.commandFailed(arguments: arguments, status: result.status,
                                         stderr: result.stderrString.trimmingCharacters(in: .whitespacesAndNewlines),
                                         repository: path))
            }
        }
        // Pulls and pushes may go over ssh; hooks the push runs on the destination get this environment too.
        do { hg = try HgRepository(path: path, environment: ProcessRunner.sshAgent()) } catch { throw .hg(error) }
        if created && !local {
            do { try check(["pull", "-q", "--", source]) } catch {
                try? FileManager.default.removeItem(atPath: path)  // as a failed `hg clone` leaves nothing
                throw .hg(error)
            }
        }
    }

    /// Drops what an earlier run left (a checkout, commits built and never pushed: draft
    /// changesets), then pulls `source`; returns the node of the newest head of the default branch.
    public func refresh(from source: String) throws(ImportError) -> String {
        do {
            try emptyCheckout()
            if try hg.run(["log", "-r", "draft()", "-T", "x"]).output.isEmpty == false {
                try check(["debugstrip", "--no-backup", "-r", "draft()"])
            }
            try check(["pull", "-q", "--", source])
            return try hg.node(of: "last(heads(branch(default)))")
        } catch { throw .hg(error) }
    }

    /// Runs `body` holding the clone's lock, so two runs (two workers, a worker and a command)
    /// never build or push in the same clone at once; a second caller waits.
    public func whileLocked<T>(_ body: () throws -> T) throws -> T {
        try whileHoldingLock(hg.path + "/.hg/wptsync-landing.lock", body)
    }

    /// Commits `commits` in order on top of `parent`; returns their nodes.
    public func commit(_ commits: [PlannedCommit], onto parent: String) throws(ImportError) -> [String] {
        if commits.isEmpty { return [] }
        let extensionPath = try HgLandingExtension.installed.get()
        let planPath = hg.path + "/.hg/wptsync-plan-\(getpid())"
        guard FileManager.default.createFile(atPath: planPath, contents: Data(PlannedCommit.planFile(parent: parent, commits: commits))) else {
            throw .extensionUnavailable(path: planPath, reason: "cannot write the commit plan")
        }
        defer { try? FileManager.default.removeItem(atPath: planPath) }
        let result: HgCommandResult
        do {
            result = try hg.run(["--config", "extensions.wptsynclanding=\(extensionPath)", "wptsync-commit", planPath])
        } catch { throw .hg(error) }
        let nodes = result.output.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
        guard result.status == 0, nodes.count == commits.count else {
            throw .hg(.commandFailed(arguments: ["wptsync-commit"], status: result.status,
                                     stderr: result.errorString.trimmingCharacters(in: .whitespacesAndNewlines), repository: hg.path))
        }
        return nodes
    }

    /// Pushes `node` and its ancestors to `destination`; `newHead` allows a new head there (a try push).
    public func push(_ node: String, to destination: String, newHead: Bool = false) throws(ImportError) -> PushOutcome {
        let result: HgCommandResult
        do { result = try hg.run(["push", "-r", node] + (newHead ? ["--force"] : []) + ["--", destination]) } catch { throw .hg(error) }
        let message = (result.errorString + String(decoding: result.output, as: UTF8.self))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch result.status {
        case 0: return .pushed
        case 1 where message.contains("no changes found"): return .nothingToPush
        default:
            if message.contains("new remote head") || message.contains("changed while pushing") { return .lostRace(message) }
            return .failure(message, refused: PushOutcome.hgHookRefused(message))
        }
    }

    /// Checks out `node` in the clone's own work tree, runs `command` there (a relative `./` path
    /// is the checkout's, e.g. `./mach`; its environment is `ProcessRunner.childEnvironment()`),
    /// and returns the files it changed; the work tree is emptied again afterwards.
    public func runInCheckout(_ node: String, command: [String], timeout: Double) throws(ImportError) -> [HgPath: PlannedCommit.FileChange] {
        do {
            try check(["update", "--clean", "-q", "-r", node])
            try check(["--config", "extensions.purge=", "purge", "--all"])
        } catch { throw .hg(error) }
        defer { try? emptyCheckout() }
        let output: ProcessOutput
        do {
            // The default child environment (no tokens, no ssh agent): the command may run upstream code.
            output = try ProcessRunner.run(command[0], Array(command.dropFirst()), in: hg.path, timeout: timeout)
        } catch {
            throw .commandFailed(command: command, status: -1, output: "\(error)")
        }
        if output.timedOut {
            throw .commandFailed(command: command, status: output.status, output: "killed after \(timeout) s (command_timeout_seconds)")
        }
        guard output.status == 0 else {
            throw .commandFailed(command: command, status: output.status,
                                 output: String((output.stderrString + output.stdoutString).suffix(2000)))
        }
        let changes: [HgFileChange]
        do {
            try check(["addremove", "-q"])
            changes = HgOutput.changes(try hg.run(["status", "-mar", "-0"]).output)
        } catch { throw .hg(error) }
        var files: [HgPath: PlannedCommit.FileChange] = [:]
        for change in changes {
            let full = hg.path + "/" + change.path.description
            if change.status == .removed {
                files[change.path] = .remove
            } else if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) {
                files[change.path] = .write(HgFile(data: Array(target.utf8), flags: .symlink))
            } else if let data = FileManager.default.contents(atPath: full) {
                let executable = FileManager.default.isExecutableFile(atPath: full)
                files[change.path] = .write(HgFile(data: Array(data), flags: executable ? .executable : .regular))
            }
        }
        return files
    }

    /// Whether the changeset with full node `node` (40 hex digits) is in the clone.
    public func contains(_ node: String) -> Bool {
        node.count == 40 && node.allSatisfy(\.isHexDigit) && (try? hg.node(of: "id(\(node))")) != nil
    }

    public func close() { hg.close() }

    /// Leaves the clone without a checkout (also after a run killed inside `runInCheckout`).
    private func emptyCheckout() throws(HgError) {
        try check(["update", "--clean", "-q", "-r", "null"])
        try check(["--config", "extensions.purge=", "purge", "--all"])
    }

    private func check(_ arguments: [String]) throws(HgError) {
        let result = try hg.run(arguments)
        guard result.status == 0 else {
            throw .commandFailed(arguments: arguments, status: result.status,
                                 stderr: result.errorString.trimmingCharacters(in: .whitespacesAndNewlines), repository: hg.path)
        }
    }
}
