import ArgumentParser
import WPTSyncKit

struct Metadata: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a PR's expectation metadata from wptreport.json files (a try run made by hand).",
        discussion: "Prints the diff against mozilla-central's metadata; --commit writes the metadata commit in the landing clone.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The upstream PR number.") var pr: Int
    @Option(name: .customLong("from"), parsing: .upToNextOption, help: "wptreport.json files.") var reports: [String]
    @Option(name: .customLong("rev"), help: "The Gecko revision whose metadata is updated (default: mozilla-central's tip).") var revision: String?
    @Option(help: "The PR's bug (default: its downstream sync's).") var bug: Int?
    @Flag(help: "Write the metadata commit into the landing clone.") var commit = false

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give at least one wptreport.json with --from") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let lines = try Application(config: config).recomputeMetadata(pullRequest: pr, reports: reports, revision: revision,
                                                                     bug: bug, commit: commit)
        for line in lines { print(line) }
    }
}
