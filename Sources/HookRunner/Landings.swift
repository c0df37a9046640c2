import ArgumentParser
import Store
import SyncCore
import WPTSyncKit

struct Landings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List landings (imports of upstream wpt into Gecko), newest first: state, PRs, what each waits for; first the PRs held back.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only landings in this state (open, deferred, needs-fixup, pushed, landed, backed-out, superseded).") var status: LandingStatus?
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        let application = try Application(config: config, journalMustExist: true)
        if !json, status == nil { try application.heldImports().forEach { print(LandingFormat.held($0)) } }
        for landing in try application.journal.landings(statuses: status.map { [$0] }) {
            print(json ? LandingFormat.json(landing) : LandingFormat.line(landing))
        }
    }
}

extension LandingStatus: ExpressibleByArgument {}
