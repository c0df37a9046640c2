import ArgumentParser
import WPTSyncKit

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record and process what the hooks missed: a revision range, a pushlog range, or wpt commits.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The [[gecko]] repository, with --revs or --pushes.") var repository: String?
    @Option(help: "A revision range A:B of the local repository: one event per changeset.") var revs: String?
    @Option(help: "Push ids START:END (both included) from the repository's pushlog: one event per push.") var pushes: String?
    @Option(help: "OLD..NEW: the wpt mirror's master moving from OLD to NEW, one event.") var wpt: String?
    @Flag(help: "Print what would be done; record and change nothing.") var dryRun = false

    func run() throws {
        let (config, _) = try options.load()
        let source: ReplaySource
        do {
            source = try ReplaySource(repository: repository, revs: revs, pushes: pushes, wpt: wpt)
        } catch {
            throw ValidationError(error.description)
        }
        let replayer = Replayer(config: config) { print($0) }
        if dryRun {
            _ = try replayer.dryRun(source)
            return
        }
        let report = try replayer.run(source) { ReplayProgress.standardOutput(total: $0) }
        print(report.summary)
        if report.failed > 0 { throw ExitCode(1) }
    }
}
