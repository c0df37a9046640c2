// Times the landing path (ImportBuilder + LandingClone.commit) on a generated repository
// (driven by benchmarks/landing.py).
// Usage: LandingBenchmark GECKO_REPO WPT_MIRROR UPSTREAM_BASE RUNS SCRATCH
//
// Every run works in a fresh `hg clone -U` of GECKO_REPO under SCRATCH and a freshly opened
// mirror; cloning, opening and starting the command server are not timed. Timed: reading
// master's first-parent history from UPSTREAM_BASE, applying every change onto Gecko's tip
// (ImportBuilder.apply), and committing one Gecko commit per PR plus the landing commit
// (LandingClone.commit). The time inside hg command-server calls is measured by the
// repository itself (`HgRepository.timeInCommands`). The last run's clone is kept and its
// final node printed (`final NODE PATH`) so the script can compare it with the baseline.
import Foundation
import RepoOps
import SyncCore

let arguments = CommandLine.arguments
guard arguments.count == 6, let runs = Int(arguments[4]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: LandingBenchmark GECKO_REPO WPT_MIRROR UPSTREAM_BASE RUNS SCRATCH\n".utf8))
    exit(2)
}
let (geckoPath, mirrorPath, upstreamBase, scratch) = (arguments[1], arguments[2], arguments[3], arguments[5])
let prefix = "testing/web-platform/tests"
let bug = 1_900_000

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

struct Failure: Error, CustomStringConvertible { var description: String }

/// The PR number and title of a squash-style subject `Title (#N)`.
func pullRequest(of message: [UInt8]) -> (number: Int, title: String)? {
    let subject = String(decoding: message.prefix { $0 != 0x0a }, as: UTF8.self)
    guard subject.hasSuffix(")"), let open = subject.range(of: " (#", options: .backwards),
          let number = Int(subject[open.upperBound..<subject.index(before: subject.endIndex)]) else { return nil }
    return (number, String(subject[..<open.lowerBound]))
}

struct Run { var total, apply, commit, hg: Double; var files, commits: Int; var final: String }

/// One landing of every upstream change since `upstreamBase` into a fresh clone at `path`.
func land(into path: String) throws -> Run {
    try? FileManager.default.removeItem(atPath: path)
    let clone = try LandingClone(path: path, source: geckoPath)
    defer { clone.close() }
    let mirror = try GitRepository.open(at: mirrorPath)
    let base = try clone.hg.node(of: "tip")
    let hgBefore = clone.hg.timeInCommands

    let start = now()
    let history = try mirror.firstParentHistory(from: upstreamBase, to: "refs/heads/master")
    let changes = history.map { UpstreamChange(base: $0.parents[0], head: $0.sha) }
    let builder = ImportBuilder(git: mirror, gecko: clone.hg, prefix: prefix, excluded: [])
    let applied = try builder.apply(changes, geckoBase: base)
    let applyDone = now()
    var planned: [PlannedCommit] = []
    var files = 0
    for (commit, result) in zip(history, applied) {
        guard case .files(let changed) = result else { throw Failure(description: "\(commit.sha) conflicts: \(result)") }
        guard let pr = pullRequest(of: commit.message) else { throw Failure(description: "\(commit.sha) names no PR") }
        files += changed.count
        let message = LandingText.pullRequestCommit(bug: bug, pullRequest: pr.number, title: pr.title,
                                                    commits: [(sha: commit.sha, message: commit.message)])
        planned.append(PlannedCommit(user: "\(commit.author.name) <\(commit.author.email)>",
                                     date: (commit.author.time, -commit.author.offsetMinutes * 60),
                                     message: message, files: changed))
    }
    var nodes = try clone.commit(planned, onto: base)
    let head = history.last?.sha ?? upstreamBase
    let syncPoint = HgPath(stringLiteral: "testing/web-platform/meta/mozilla-sync")
    let landing = PlannedCommit(user: "wptsync <wptsync@example.com>", date: (1_700_000_000, 0),
                                message: LandingText.landingCommit(bug: bug, head: head),
                                files: [syncPoint: .write(HgFile(data: LandingText.syncPointFile(local: base, upstream: head), flags: .regular))])
    nodes += try clone.commit([landing], onto: nodes.last ?? base)
    let end = now()
    return Run(total: end - start, apply: applyDone - start, commit: end - applyDone,
               hg: milliseconds(clone.hg.timeInCommands - hgBefore), files: files, commits: nodes.count, final: nodes.last!)
}

do {
    var results: [Run] = []
    for index in 0..<runs {
        let path = "\(scratch)/ours-\(index)"
        let run = try land(into: path)
        results.append(run)
        print(String(format: "run %d: total %.0f ms (apply %.0f, commit %.0f), in hg %.0f ms (%.0f%%), %d files, %d commits",
                     index + 1, run.total, run.apply, run.commit, run.hg, 100 * run.hg / run.total, run.files, run.commits))
        // Each clone stays until landing.py removes the scratch folder: its command server, reaped on another
        // thread, may still hold `.hg/wlock` while it exits, and removing the clone then fails.
        if index == runs - 1 { print("final \(run.final) \(path)") }
    }
    let total = median(results.map(\.total)), hg = median(results.map(\.hg))
    print(String(format: "median total %.1f ms", total))
    print(String(format: "median apply %.1f ms", median(results.map(\.apply))))
    print(String(format: "median commit %.1f ms", median(results.map(\.commit))))
    print(String(format: "median hg %.1f ms", hg))
    print(String(format: "median hg-share %.1f %%", 100 * median(results.map { $0.hg / $0.total })))
} catch {
    print("error: \(error)")
    exit(1)
}
