import ArgumentParser
import Store
import WPTSyncKit

struct Downstreams: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the upstream PRs wptsync has seen through GitHub's webhooks: head, state, approvals, checks.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        let journal = try Application(config: config, journalMustExist: true).journal
        let syncs = json ? Dictionary(try journal.downstreamSyncs().map { ($0.pullRequest, $0) }, uniquingKeysWith: { $1 }) : [:]
        for seen in try journal.seenPullRequests() {
            print(json ? DownstreamFormat.json(seen, sync: syncs[seen.record.pullRequest.number],
                                                  stability: config.downstream?.rebuild != nil) : DownstreamFormat.line(seen))
        }
    }
}
