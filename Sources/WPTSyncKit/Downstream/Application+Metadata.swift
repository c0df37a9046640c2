import Foundation
import RepoOps
import Store
import SyncCore

extension Application {
    /// `wptsync metadata <PR> --from FILE...`: the PR's metadata recomputed from wptreport.json files
    /// (a try run made by hand) on Gecko's metadata at `revision` of mozilla-central (default: its
    /// tip), with the worker's rules (`[downstream] unstable`: several statuses in one configuration
    /// are disabled with the bug's URL, or recorded as intermittent). Without `commit` nothing is
    /// written: the lines are the diff. With `commit`, the metadata commit is built in the landing
    /// clone on that revision. A file that cannot be read, is not a wptreport.json or names something
    /// that is not a test is an error naming it; so is a result to disable when no bug is known; nothing is done.
    public func recomputeMetadata(pullRequest: Int, reports paths: [String], revision: String?, bug: Int?,
                                  commit: Bool) throws -> [String] {
        let results = WPTReport.runs(try paths.map(Self.loadReport))
        guard let central = config.gecko.first(where: { $0.role == .central }) else { throw ApplicationError.noCentral }
        let known = try bug ?? journal.downstreamSync(pullRequest: pullRequest)?.bug
        let unstable = config.downstream?.unstable ?? .disable
        let plan = DownstreamMetadata.plan(unstable: unstable, bug: known)
        if !commit {
            let gecko = try central.openSource()
            defer { gecko.close() }
            let base = try gecko.node(of: revision ?? (central.kind == .git ? central.branch ?? "HEAD" : Self.tipRevset))
            let current = try MetadataCommitBuilder.read(MetadataPlan.paths(testIDs: results.keys), at: base, in: gecko)
            if known == nil, unstable == .disable {
                // Any bug will do: only whether something would be disabled matters.
                let unstableTests = DownstreamMetadata.plan(unstable: .disable, bug: 0).apply(files: current, results: results).disabled
                if !unstableTests.isEmpty {
                    throw ApplicationError.unstableWithoutBug(pullRequest: pullRequest, tests: unstableTests.map(\.name.description).sorted())
                }
            }
            let outcome = plan.apply(files: current, results: results)
            return try Self.describe(outcome, current: current, pullRequest: pullRequest, base: base, node: nil)
        }
        guard let landing = config.landing else { throw LandingError.notConfigured("--commit needs a [landing] clone") }
        guard let bug = known else { throw ApplicationError.noBugForPullRequest(pullRequest) }
        // The landing clone, fetching mozilla-central (with git, into its own reference, which each landing refreshes).
        let clone = try central.workspace(at: landing.clone)
        defer { clone.close() }
        return try clone.whileLocked {
            let tip = try clone.refresh()
            let base = try revision.map { try clone.source.node(of: $0) } ?? tip
            let built = try MetadataCommitBuilder(workspace: clone).build(
                pullRequest: pullRequest, bug: bug, plan: plan, results: results, onto: base,
                user: landing.user, date: (Int64(Date().timeIntervalSince1970), 0))
            return try Self.describe(built.outcome, current: built.before, pullRequest: pullRequest, base: base, node: built.node)
        }
    }

    static let tipRevset = "last(heads(branch(default)))"

    /// A wptreport.json from the command line; every test it names must be a test id.
    static func loadReport(_ path: String) throws -> WPTReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ApplicationError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        let report = try WPTReport.decode(data, file: path)
        if let index = report.results.firstIndex(where: { MetadataLocation(testID: $0.test) == nil }) {
            throw MetadataError.invalidReport(file: path, reason: "results[\(index)].test \"\(report.results[index].test)\" is not a test id (/path/to/test.html)")
        }
        return report
    }

    /// The summary and unified diff of what the results change.
    static func describe(_ outcome: MetadataOutcome, current: [String: MetadataFile], pullRequest: Int,
                         base: String, node: String?) throws -> [String] {
        guard !outcome.changes.isEmpty else { return ["PR #\(pullRequest): the metadata at \(base.prefix(12)) needs no change"] }
        var lines = ["PR #\(pullRequest): \(outcome.changes.count) metadata file(s) change on \(base.prefix(12))"
            + (node.map { ", committed as \($0.prefix(12))" } ?? "")]
        lines += outcome.disabled.sorted { $0.name < $1.name }.map {
            "disabled as unstable: \($0.name) where \($0.conditions.joined(separator: " or ")) (statuses seen: \($0.statuses.joined(separator: ", ")))"
        }
        lines += outcome.acceptedCrashes.map { "CRASH now expected: \($0)" }
        for path in outcome.changes.keys.sorted() {
            let old = current[path].map { Array($0.text.utf8) }
            let new: [UInt8]? = if case .write(let file)? = outcome.changes[path] { Array(file.text.utf8) } else { nil }
            let diff = try GitRepository.unifiedDiff(path: path, old: old, new: new)
            lines += diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return lines
    }
}
