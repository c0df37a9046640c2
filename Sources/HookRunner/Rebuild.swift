import ArgumentParser
import WPTSyncKit

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recreate the upstream sync records from wptsync's PRs on GitHub and the Gecko repositories.",
        discussion: "For a lost store. PRs whose branch already has a record are left alone.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        for line in try Operations(app: Application(config: config)).rebuild() { print(line) }
    }
}
