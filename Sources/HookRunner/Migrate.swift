import ArgumentParser
import WPTSyncKit

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the PostgreSQL store's schema up to date (workers also do at start).",
        discussion: "Safe to run from several machines at once: the migrations run under an advisory lock, each once.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        print(try StoreCheck.migrate(config))
    }
}
