#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LocalServices
import RepoOps

/// A small, seeded random number generator (SplitMix64), so a run that kills the worker at
/// random points can be replayed from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What happened to a child process that was killed after a delay.
public struct KilledRun: Sendable {
    /// The exit status (128 + signal when killed), as `Child.wait` reports it.
    public var status: Int32
    /// True when the child had already exited by itself before the delay ran out.
    public var exitedEarly: Bool
    public var output: String
}

/// Starts `executable` and collects its output until `trigger` answers true (asked about every
/// millisecond) or `limit` seconds have passed, then for `extraDelay` more seconds; then SIGKILLs it
/// (unless it exited first) and reaps it. The output is read all along, so a chatty child never
/// blocks on a full pipe. Reading after the kill is bounded, in case a grandchild still holds the pipes.
public func runAndKill(_ executable: String, _ arguments: [String], in directory: String? = nil,
                       extraEnvironment: [String: String], when trigger: () -> Bool = { false },
                       limit: Double, extraDelay: Double = 0) throws -> KilledRun {
    let child = try Child.spawn(executable, arguments, in: directory, extraEnvironment: extraEnvironment)
    close(child.stdin)
    var output: [UInt8] = []
    var open: [Int32] = [child.stdout, child.stderr]
    var buffer = [UInt8](repeating: 0, count: 65536)

    /// Reads from the open pipes until `deadline`, or until both are closed.
    func pump(until deadline: Date, stopWhen stop: () -> Bool = { false }) {
        while !open.isEmpty {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 || stop() { return }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(max(1, min(left * 1000, 1))))
            if ready < 0 { if errno == EINTR { continue }; return }
            for entry in fds where entry.revents != 0 {
                let n = read(entry.fd, &buffer, buffer.count)
                if n > 0 {
                    output += buffer[0..<n]
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
    }

    pump(until: Date().addingTimeInterval(limit), stopWhen: trigger)
    pump(until: Date().addingTimeInterval(extraDelay))
    // Not reaped yet, so the pid cannot have been reused: killing a child that already exited
    // (a zombie) does nothing.
    kill(child.pid, SIGKILL)
    pump(until: Date().addingTimeInterval(5))
    open.forEach { close($0) }
    let status = child.wait()
    return KilledRun(status: status, exitedEarly: status != 128 + SIGKILL, output: String(decoding: output, as: UTF8.self))
}

/// The end state of an upstreaming scenario, with everything that legitimately differs between two
/// worlds left out or replaced: temporary paths, the local GitHub's port, timestamps, and commit
/// ids (GitHub's merges carry wall-clock committer dates, so commits are described by their tree,
/// author and message instead).
public struct ConvergenceState: Equatable, CustomStringConvertible {
    /// One line per pull request, oldest first.
    public var pulls: [String]
    /// One entry per ref of the upstream repository: its name, then each commit's tree, author and message.
    public var upstreamRefs: [String]
    /// `git ls-tree -r master` of the upstream repository.
    public var masterTree: String
    /// One line per sync (`wptsync list --json`), with `head` and `base` replaced by their trees and
    /// without `version` (a save counter).
    public var syncs: [String]
    /// One line per journal event: id, state, kind, repository and what was pushed.
    public var events: [String]

    public var description: String {
        (["pull requests:"] + pulls + ["upstream refs:"] + upstreamRefs + ["master tree:", masterTree, "syncs:"] + syncs
            + ["events:"] + events).joined(separator: "\n")
    }

    /// The lines present in only one of the two states, marked `-` (in `self`) and `+` (in `other`).
    public func differences(to other: ConvergenceState) -> String {
        let mine = description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let theirs = other.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let removed = mine.filter { !theirs.contains($0) }.map { "- " + $0 }
        let added = theirs.filter { !mine.contains($0) }.map { "+ " + $0 }
        return (removed + added).joined(separator: "\n")
    }

    /// Reads the end state of `u`.
    public static func capture(_ u: UpstreamWorld) throws -> ConvergenceState {
        let base = u.github.baseURL
        func normalized(_ text: String) -> String { text.replacingOccurrences(of: base, with: "<github>") }
        func tree(of commit: String) -> String {
            (try? u.git(["rev-parse", "\(commit)^{tree}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? "<missing \(commit)>"
        }

        let pulls = u.github.pullRequests.map { pr in
            "#\(pr.number) \(pr.title) | open=\(pr.isOpen) merged=\(pr.isMerged) | head=\(pr.headRef) base=\(pr.baseRef)"
                + " | head-tree=\(pr.headSHA.map(tree(of:)) ?? "none") | labels=\(pr.labels) | author=\(pr.author)"
                + " | approved=\(pr.approvedBy) | body=\(normalized(pr.body ?? "").debugDescription)"
        }

        let refs = try u.git(["for-each-ref", "--format=%(refname)"]).split(separator: "\n").map(String.init)
        let upstreamRefs = try refs.map { ref in
            let log = try u.git(["log", "--format=%T %an <%ae> %B%x00", ref])
            return "\(ref): " + log.debugDescription
        }

        let masterTree = try u.git(["ls-tree", "-r", "master"])

        let syncs = try u.world.wptsync(["list", "--json"]).split(separator: "\n").map { line in
            guard var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return "not an object: \(line)"
            }
            for key in ["head", "base"] {
                if let commit = object.removeValue(forKey: key) as? String { object[key + "_tree"] = tree(of: commit) }
            }
            if let url = object["pull_request_url"] as? String { object["pull_request_url"] = normalized(url) }
            // How many times the record was saved: a rerun saves again.
            object.removeValue(forKey: "version")
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }

        let events = try u.world.wptsync(["events", "--json", "--limit", "1000"]).split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return "not an object: \(line)"
            }
            return ["id", "state", "kind", "repository", "detail"].map { "\(object[$0] ?? "-")" }.joined(separator: " ")
        }

        return ConvergenceState(pulls: pulls, upstreamRefs: upstreamRefs, masterTree: masterTree, syncs: syncs, events: events)
    }
}

extension UpstreamWorld {
    /// How many events are pending, running or failed (`wptsync events` counts).
    public func unfinishedEvents() throws -> Int {
        let summary = try world.wptsync(["events", "--limit", "0"]).split(separator: "\n").last.map(String.init) ?? ""
        var total = 0
        for part in summary.split(separator: ",") {
            let pair = part.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let count = Int(pair[1]) else { continue }
            if ["pending", "running", "failed"].contains(pair[0]) { total += count }
        }
        return total
    }

    /// Runs `wptsync process` until no event is pending, running or failed and `moreToRead` says
    /// nothing is left, at most `passes` times. Returns the outputs of the passes; the caller checks
    /// `unfinishedEvents()` afterwards.
    @discardableResult
    public func processUntilSettled(passes: Int = 20) throws -> [String] {
        var outputs: [String] = []
        for _ in 0..<passes {
            outputs.append(try process())
            if try unfinishedEvents() == 0, try !(moreToRead?() ?? false) { break }
        }
        return outputs
    }
}
