import ArgumentParser
import WPTSyncKit

struct RetryTry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry-try",
        abstract: "Push an upstream PR's changes to try again now (one more run, whatever the earlier ones gave).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The upstream PR number.") var pullRequest: Int

    func run() throws {
        let (config, _) = try options.load()
        for line in try Application(config: config).retryTry(pullRequest: pullRequest) { print(line) }
    }
}
