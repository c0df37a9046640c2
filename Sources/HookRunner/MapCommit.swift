import ArgumentParser
import WPTSyncKit

struct MapCommit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Correct which upstream PR an upstream wpt commit came from (used by the next landing).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The upstream commit (sha or prefix, in the mirror).") var commit: String
    @Option(help: "The PR number.") var pr: Int?
    @Flag(help: "The commit came from no PR.") var none = false

    func validate() throws {
        if (pr == nil) == !none { throw ValidationError("give --pr N or --none") }
    }

    func run() throws {
        let (config, _) = try options.load()
        print(try Application(config: config).mapCommit(commit, pullRequest: pr))
    }
}
