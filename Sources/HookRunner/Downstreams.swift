import ArgumentParser
import WPTSyncKit

struct Downstreams: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the upstream PRs wptsync has seen through GitHub's webhooks: head, state, approvals, checks.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        for seen in try Application(config: config, journalMustExist: true).journal.seenPullRequests() {
            print(json ? DownstreamFormat.json(seen) : DownstreamFormat.line(seen))
        }
    }
}
