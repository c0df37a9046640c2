import ArgumentParser
import WPTSyncKit

struct ReconcilePRs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile-prs",
        abstract: "Compare the upstream PRs GitHub lists with what the webhooks showed, and record what was missed for the worker.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        for line in try Application(config: config).reconcilePullRequests() { print(line) }
    }
}
