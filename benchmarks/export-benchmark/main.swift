// Times UpstreamExporter on a generated repository (driven by benchmarks/export.py).
// Usage: ExportBenchmark HG_REPO WPT_MIRROR RUNS NODE...
//
// Every run exports into a fresh bare repository that borrows the mirror's objects through
// `objects/info/alternates`, so each run really writes its blobs, trees and commit; opening
// that repository is not timed. Timed: from the first hg read to the commit written.
import Foundation
import RepoOps
import SyncCore

let arguments = CommandLine.arguments
guard arguments.count >= 5, let runs = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: ExportBenchmark HG_REPO WPT_MIRROR RUNS NODE...\n".utf8))
    exit(2)
}
let (hgPath, mirrorPath, nodes) = (arguments[1], arguments[2], Array(arguments[4...]))
let scratch = NSTemporaryDirectory() + "wptsync-export-runs-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: scratch) }

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1_000_000
}

func freshRepository(_ index: Int) throws -> GitRepository {
    let path = "\(scratch)/\(index).git"
    let repo = try GitRepository.initBare(at: path)
    try Data("\(mirrorPath)/objects\n".utf8).write(to: URL(fileURLWithPath: "\(path)/objects/info/alternates"))
    return try GitRepository.open(at: path)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func report(_ label: String, _ times: [Double]) {
    let sorted = times.sorted()
    let line = String(format: "%-44@ median %8.2f ms   p90 %8.2f ms   min %8.2f ms", label as NSString,
                      median(times), sorted[Int(0.9 * Double(sorted.count - 1))], sorted[0])
    print(line)
}

/// Exports `runs` changesets (cycling through `nodes`, in order), each into a fresh repository.
func measure(_ readPath: UpstreamExporter.HgReadPath, runs: Int, label: String) throws -> [Double] {
    let hg = try HgRepository(path: hgPath)
    defer { hg.close() }
    let master = try GitRepository.open(at: mirrorPath).referenceTarget("refs/heads/master")!
    var times: [Double] = []
    var outcomes: [String: ExportOutcome] = [:]
    for run in 0..<runs {
        let git = try freshRepository(run)
        let exporter = UpstreamExporter(hg: hg, git: git, prefixes: PathPrefixes(), readPath: readPath)
        let node = nodes[run % nodes.count]
        let start = now()
        let outcome = try exporter.export(node: node, onto: master)
        times.append(now() - start)
        if readPath == .automatic && !exporter.usesExtension { print("warning: the extension was not used") }
        if let previous = outcomes[node], previous != outcome { print("warning: \(node) exported differently") }
        outcomes[node] = outcome
        guard case .exported = outcome else { print("warning: \(node) gave \(outcome)"); continue }
    }
    report(label, times)
    if ProcessInfo.processInfo.environment["EXPORT_BENCH_PER_NODE"] != nil {
        for (i, node) in nodes.enumerated() {
            let own = stride(from: i, to: times.count, by: nodes.count).map { times[$0] }
            print("  \(node.prefix(12)): " + own.map { String(format: "%.1f", $0) }.joined(separator: " "))
        }
    }
    return times
}

do {
    // Cold: the first export after the command server starts (no manifest remembered yet).
    var cold: [Double] = []
    for index in 0..<min(10, nodes.count * 2) {
        let hg = try HgRepository(path: hgPath)
        let git = try freshRepository(100_000 + index)
        let master = try GitRepository.open(at: mirrorPath).referenceTarget("refs/heads/master")!
        let exporter = UpstreamExporter(hg: hg, git: git, prefixes: PathPrefixes())
        _ = try hg.node(of: "tip")  // the server is up and has read the changelog
        let start = now()
        _ = try exporter.export(node: nodes[index % nodes.count], onto: master)
        cold.append(now() - start)
        hg.close()
    }
    let ours = try measure(.automatic, runs: runs, label: "ours (hg extension, steady state)")
    report("ours, first export after server start", cold)
    // The hg part alone: the extension command through the same kind of command server.
    let hg = try HgRepository(path: hgPath)
    let master = try GitRepository.open(at: mirrorPath).referenceTarget("refs/heads/master")!
    let warm = UpstreamExporter(hg: hg, git: try freshRepository(200_000), prefixes: PathPrefixes())
    for node in nodes { _ = try warm.export(node: node, onto: master) }
    var hgOnly: [Double] = []
    for run in 0..<runs {
        let start = now()
        _ = try hg.run(["--config", "extensions.wptsync=\(try HgExportExtension.installedPath())", "wptsync-export",
                        nodes[run % nodes.count], "testing/web-platform/tests"])
        hgOnly.append(now() - start)
    }
    hg.close()
    report("  of which the hg read (steady state)", hgOnly)
    _ = try measure(.stockCommands, runs: max(10, runs / 3), label: "ours with stock hg commands")
    print(String(format: "median %.3f ms", median(ours)))
} catch {
    print("error: \(error)")
    exit(1)
}
