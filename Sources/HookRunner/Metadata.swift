import ArgumentParser
import WPTSyncKit

struct Metadata: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a PR's expectation metadata from wptreport.json files (a try run made by hand), or let it land (--ready).",
        discussion: "Prints the diff against mozilla-central's metadata; --commit writes the metadata commit in the landing clone. "
            + "--ready: landings stop waiting for the PR's try run and land it with the metadata it has.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The upstream PR number.") var pr: Int
    @Option(name: .customLong("from"), parsing: .upToNextOption, help: "wptreport.json files.") var reports: [String] = []
    @Option(name: .customLong("rev"), help: "The Gecko revision whose metadata is updated (default: mozilla-central's tip).") var revision: String?
    @Option(help: "The PR's bug (default: its downstream sync's).") var bug: Int?
    @Flag(help: "Write the metadata commit into the landing clone.") var commit = false
    @Flag(help: "Land the PR with the metadata it has; landings no longer wait for its try run.") var ready = false

    func validate() throws {
        if ready && !reports.isEmpty { throw ValidationError("--ready takes no wptreport.json (--from)") }
        if !ready && reports.isEmpty { throw ValidationError("give at least one wptreport.json with --from, or --ready") }
    }

    func run() throws {
        let (config, _) = try options.load()
        if ready {
            print(try Application(config: config, journalMustExist: true).markMetadataReady(pullRequest: pr))
            return
        }
        let lines = try Application(config: config).recomputeMetadata(pullRequest: pr, reports: reports, revision: revision,
                                                                     bug: bug, commit: commit)
        for line in lines { print(line) }
    }
}
