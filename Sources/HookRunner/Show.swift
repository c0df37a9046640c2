import ArgumentParser
import Store
import WPTSyncKit

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the syncs of a bug in detail.",
        subcommands: [Upstream.self, Downstream.self])

    struct Upstream: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The upstream syncs of a bug: changesets, PR, branch, conflicts, checks.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The bug number.") var bug: Int
        @Flag(help: "JSON, one object per sync.") var json = false

        func run() throws {
            let (config, _) = try options.load()
            let syncs = try Application(config: config, journalMustExist: true).journal.syncs(bug: bug, status: nil)
            if syncs.isEmpty { throw ValidationError("no upstream sync for bug \(bug)") }
            for sync in syncs { print(json ? SyncFormat.json(sync) : SyncFormat.details(sync)) }
        }
    }

    struct Downstream: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An upstream PR's downstream sync: bug, component, try pushes with links, its metadata as a diff, what it waits for, last error.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The upstream PR number.") var pullRequest: Int
        @Flag(help: "JSON: the record as stored.") var json = false

        func run() throws {
            let (config, _) = try options.load()
            let application = try Application(config: config, journalMustExist: true)
            let sync = try application.downstreamSync(pullRequest: pullRequest)
            print(json ? DownstreamSyncFormat.json(sync) : DownstreamSyncFormat.details(sync, landed: try application.landedMetadata(pullRequest: pullRequest)))
        }
    }
}
