import ArgumentParser
import WPTSyncKit

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forget a sync record (its PR stays); the next event touching its changesets rebuilds it.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The sync id (see `wptsync list`).") var sync: Int64

    func run() throws {
        let (config, _) = try options.load()
        for line in try Operations(app: Application(config: config)).delete(syncID: sync) { print(line) }
    }
}
