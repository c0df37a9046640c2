import ArgumentParser
import SyncCore
import HookIntake
import WPTSyncKit

/// Options every subcommand that reads the configuration takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $WPTSYNC_CONFIG, then ./wptsync.toml).")
    var config: String?

    @Flag(name: .shortAndLong, help: "Log debug details.")
    var verbose = false

    /// Loads the configuration, reads its secrets for redaction and sets up logging, or exits with
    /// the configuration error.
    func load(quietTerminal: Bool = false) throws -> (config: Config, file: String) {
        do {
            let file = try ConfigLoader.locate(explicit: config)
            let loaded = try ConfigLoader.load(file: file)
            SecretRedaction.install(Application.secretRedactor(for: loaded))
            LogSetup.bootstrap(loaded.log, verbose: verbose, quietTerminal: quietTerminal)
            return (loaded, file)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
