// Times UpstreamExporter on a generated repository (driven by benchmarks/export.py).
// Usage: ExportBenchmark HG_REPO WPT_MIRROR RUNS [--git-gecko GIT_GECKO] GAP:NODE[:COMMIT]...
//
// The nodes are wpt changesets in commit order, each after GAP Gecko-only changesets; the first one's
// GAP is `warm` (it warms the command server and is not timed in the first-seen rows). Every export
// writes into a fresh bare repository that borrows the mirror's objects through
// `objects/info/alternates`, so it really writes its blobs, trees and commit; opening that repository
// is not timed. Timed: from the first hg read to the commit written. The first-seen rows come twice:
// as the worker meets them (the cursor advanced after each Gecko-only changeset, as per push, each
// advance timed as its own row) and without advancing (the export walks the whole gap); the
// exporter's own CPU time per export (this thread: the git writes and parsing, not the command
// server's) is a row of its own. With
// `--git-gecko`, the same changesets (COMMIT, in a git copy of HG_REPO) are also exported from git
// (GitGecko.swift's rows, each with its CPU time: that export runs wholly in this thread), and must
// give the same trees.
import Foundation
import RepoOps
import SyncCore

let arguments = CommandLine.arguments
let gitGeckoPath = arguments.count > 5 && arguments[4] == "--git-gecko" ? arguments[5] : nil
guard arguments.count >= (gitGeckoPath == nil ? 5 : 7), let runs = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: ExportBenchmark HG_REPO WPT_MIRROR RUNS [--git-gecko GIT_GECKO] GAP:NODE[:COMMIT]...\n".utf8))
    exit(2)
}
let (hgPath, mirrorPath) = (arguments[1], arguments[2])
let series = arguments[(gitGeckoPath == nil ? 4 : 6)...].map { item in
    let parts = item.split(separator: ":").map(String.init)
    return (gap: parts[0], node: parts[1], commit: parts.count > 2 ? parts[2] : nil)
}
let nodes = series.map(\.node)
let gaps = series.map(\.gap).reduce(into: [String]()) { if $1 != "warm" && !$0.contains($1) { $0.append($1) } }
let scratch = NSTemporaryDirectory() + "wptsync-export-runs-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: scratch) }
nonisolated(unsafe) var repositories = 0
/// CPU time of this thread per export of the last `exportAll` (the git side and parsing; the hg
/// command server's CPU is another process's).
nonisolated(unsafe) var exporterCPU: [Double] = []

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

func freshRepository() throws -> GitRepository {
    repositories += 1
    let path = "\(scratch)/\(repositories).git"
    _ = try GitRepository.initBare(at: path)
    try Data("\(mirrorPath)/objects\n".utf8).write(to: URL(fileURLWithPath: "\(path)/objects/info/alternates"))
    return try GitRepository.open(at: path)
}

func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Prints a row; with a key, also a `median KEY VALUE` line for the speed-ups export.py prints.
func report(_ label: String, _ times: [Double], key: String? = nil) {
    let sorted = times.sorted()
    print(String(format: "%-52@ median %8.2f ms   p90 %8.2f ms   max %8.2f ms   (n=%d)", label as NSString,
                 median(times), sorted[Int(0.9 * Double(sorted.count - 1))], sorted[sorted.count - 1], times.count))
    if let key { print(String(format: "median %@ %.3f", key as NSString, median(times))) }
}

let master = try GitRepository.open(at: mirrorPath).referenceTarget("refs/heads/master")!

/// The Gecko-only changesets before each wpt changeset (since the one before it), in order.
func geckoOnlyBefore() throws -> [[String]] {
    let hg = try HgRepository(path: hgPath)
    defer { hg.close() }
    return try series.indices.map { index in
        guard index > 0 else { return [] }
        let between = try hg.run(["log", "-r", "\(nodes[index - 1])::\(nodes[index]) - \(nodes[index - 1]) - \(nodes[index])", "-T", "{node}\n"])
        return String(decoding: between.output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Exports `order` (indices into `series`) through one command server, one fresh repository each;
/// with `hgOnly`, times only the `wptsync-export` command. With `pushes` (Gecko-only changesets before
/// each index), first advances the cursor once per changeset, as the worker does per push, timing
/// each advance into `advances`. Returns the times and the outcomes.
func exportAll(_ order: [Int], readPath: UpstreamExporter.HgReadPath = .automatic, hgOnly: Bool = false,
               warm: Bool = false, pushes: [[String]]? = nil, advances: inout [Double]) throws -> ([Double], [ExportOutcome]) {
    let hg = try HgRepository(path: hgPath)
    defer { hg.close() }
    _ = try hg.node(of: "tip")  // the server is up and has read the changelog
    if warm { _ = try UpstreamExporter(hg: hg, git: try freshRepository(), prefixes: PathPrefixes()).export(node: nodes[0], onto: master) }
    var times: [Double] = [], outcomes: [ExportOutcome] = []
    exporterCPU = []
    for index in order {
        for node in pushes?[index] ?? [] {
            let start = now()
            guard try UpstreamExporter.advanceCursor(in: hg, to: node, prefixes: PathPrefixes()) else { throw ExportError.unreadableChanges(node: node, detail: "no extension") }
            advances.append(now() - start)
        }
        let git = try freshRepository()
        let exporter = UpstreamExporter(hg: hg, git: git, prefixes: PathPrefixes(), readPath: readPath)
        let start = now(), cpu = threadCPU()
        if hgOnly {
            _ = try hg.run(["--config", "extensions.wptsync=\(try HgExportExtension.installedPath())", "wptsync-export",
                            nodes[index], "testing/web-platform/tests"])
        } else {
            outcomes.append(try exporter.export(node: nodes[index], onto: master))
        }
        times.append(now() - start)
        exporterCPU.append(threadCPU() - cpu)
        if readPath == .automatic && !exporter.usesExtension { print("warning: the extension was not used") }
    }
    if readPath == .automatic {
        let stats = try hg.run(["--config", "extensions.wptsync=\(try HgExportExtension.installedPath())", "wptsync-export-stats"])
        if stats.status == 0 { print("  extension: " + String(decoding: stats.output, as: UTF8.self).split(separator: "\n").joined(separator: ", ")) }
    }
    return (times, outcomes)
}

func exportAll(_ order: [Int], readPath: UpstreamExporter.HgReadPath = .automatic, hgOnly: Bool = false,
               warm: Bool = false) throws -> ([Double], [ExportOutcome]) {
    var unused: [Double] = []
    return try exportAll(order, readPath: readPath, hgOnly: hgOnly, warm: warm, advances: &unused)
}

/// Exports `order` (indices into `series`) from the git Gecko, one fresh repository each, after one
/// untimed export when `warm`; with `cold`, each from a newly opened repository, its opening timed.
func exportAllFromGit(_ path: String, _ order: [Int], warm: Bool = false, cold: Bool = false) throws -> ([Double], [ExportOutcome]) {
    var gecko = try GitGecko(path: path)
    if warm { _ = try UpstreamExporter(gecko: gecko, git: try freshRepository(), prefixes: PathPrefixes()).export(node: series[0].commit!, onto: master) }
    var times: [Double] = [], outcomes: [ExportOutcome] = []
    exporterCPU = []
    for index in order {
        let git = try freshRepository()
        let start = now(), cpu = threadCPU()
        if cold { gecko = try GitGecko(path: path) }
        outcomes.append(try UpstreamExporter(gecko: gecko, git: git, prefixes: PathPrefixes()).export(node: series[index].commit!, onto: master))
        times.append(now() - start)
        exporterCPU.append(threadCPU() - cpu)
    }
    return (times, outcomes)
}

/// The git path's rows, and whether it wrote the trees the hg path wrote (`hgOutcomes`, for `timed`).
func gitRows(_ path: String, timed: [Int], hgOutcomes: [ExportOutcome]) throws {
    let (times, outcomes) = try exportAllFromGit(path, timed, warm: true)
    let cpu = exporterCPU
    for gap in gaps {
        let own = timed.indices.filter { series[timed[$0]].gap == gap }
        report("git path, first-seen in order, gap \(gap)", own.map { times[$0] }, key: "git,gap-\(gap)")
        report("  of which CPU (the whole export is in process)", own.map { cpu[$0] })
    }
    let spread = (0..<min(10, timed.count)).map { timed[$0 * timed.count / min(10, timed.count)] }
    report("git path, first export after opening the repository", try exportAllFromGit(path, spread, cold: true).0, key: "git-cold")
    var same = 0
    for (k, outcome) in outcomes.enumerated() {
        switch (outcome, hgOutcomes[k]) {
        case let (.exported(git), .exported(hg)) where git.tree == hg.tree: same += 1
        default: print("warning: \(nodes[timed[k]]) gave \(outcome) from git, \(hgOutcomes[k]) from hg")
        }
    }
    print("git path: the same wpt tree as the hg path for \(same) of \(outcomes.count) changesets")
}

do {
    let timed = Array(series.indices.dropFirst())
    // First-seen, in order: each wpt changeset exported once, after its gap of Gecko-only changesets,
    // as the worker meets them: the cursor advanced after each push (one Gecko-only changeset each).
    let pushes = try geckoOnlyBefore()
    var advances: [Double] = []
    let (times, outcomes) = try exportAll(timed, warm: true, pushes: pushes, advances: &advances)
    for gap in gaps {
        let own = timed.indices.filter { series[timed[$0]].gap == gap }
        report("ours, first-seen in order, gap \(gap), advanced per push", own.map { times[$0] }, key: "first-seen,gap-\(gap)")
    }
    let cpu = exporterCPU
    for gap in gaps {
        let own = timed.indices.filter { series[timed[$0]].gap == gap }
        report("  of which the exporter's CPU, gap \(gap)", own.map { cpu[$0] })
    }
    if !advances.isEmpty { report("  the per-push advance (1 changeset a push)", advances) }
    // The same without advancing: the export itself meets the whole gap.
    let (plain, plainOutcomes) = try exportAll(timed, warm: true)
    for gap in gaps {
        let own = timed.indices.filter { series[timed[$0]].gap == gap }
        report("ours, first-seen in order, gap \(gap), no advance", own.map { plain[$0] }, key: "no-advance,gap-\(gap)")
    }
    let (hgTimes, _) = try exportAll(timed, hgOnly: true, warm: true)
    for gap in gaps {
        let own = timed.indices.filter { series[timed[$0]].gap == gap }
        report("  of which the hg read, gap \(gap), no advance", own.map { hgTimes[$0] })
    }
    for (k, outcome) in plainOutcomes.enumerated() where outcome != outcomes[k] {
        print("warning: \(nodes[timed[k]]) exported differently without advancing")
    }
    // Cold: the first export after the command server starts, spread over the series.
    var cold: [Double] = []
    for k in 0..<min(10, timed.count) {
        let (one, _) = try exportAll([timed[k * timed.count / min(10, timed.count)]])
        cold += one
    }
    report("ours, first export after the server starts", cold, key: "cold")
    if let gitGeckoPath { try gitRows(gitGeckoPath, timed: timed, hgOutcomes: outcomes) }
    // The pattern of the issue-3 figure: the first 6 changesets cycled `runs` times (all but 6 seen before).
    let cycle = Array(timed.prefix(6))
    let (cycling, cyclingOutcomes) = try exportAll((0..<runs).map { cycle[$0 % cycle.count] }, warm: true)
    report("ours, cycling \(cycle.count) changesets (\(runs - cycle.count) repeats)", cycling, key: "cycling")
    // Stock commands on the same changesets, which must give the same commits.
    let stockOrder = timed
    let (stock, stockOutcomes) = try exportAll(stockOrder, readPath: .stockCommands)
    report("ours with stock hg commands", stock, key: "stock")
    for (k, outcome) in stockOutcomes.enumerated() where outcome != outcomes[k] {
        print("warning: \(nodes[stockOrder[k]]) exported differently with stock commands: \(outcome) vs \(outcomes[k])")
    }
    for (k, outcome) in cyclingOutcomes.enumerated() where outcome != outcomes[k % cycle.count] {
        print("warning: \(nodes[cycle[k % cycle.count]]) exported differently when cycling")
    }
    for (k, outcome) in outcomes.enumerated() {
        guard case .exported = outcome else { print("warning: \(nodes[timed[k]]) gave \(outcome)"); continue }
    }
} catch {
    print("error: \(error)")
    exit(1)
}
