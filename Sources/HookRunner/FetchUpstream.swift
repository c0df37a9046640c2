import ArgumentParser
import WPTSyncKit

struct FetchUpstream: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch upstream wpt master into the mirror and record the update as the post-receive hook would.",
        discussion: "For deployments where no push reaches the mirror: run it periodically (e.g. from a timer), then the worker imports.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        print(try Application(config: config).fetchUpstream())
    }
}
