import ArgumentParser
import Foundation
import SyncCore
import HookIntake
import WPTSyncKit

/// Options every subcommand that reads the configuration takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $WPTSYNC_CONFIG, then ./wptsync.toml).")
    var config: String?

    @Flag(name: .shortAndLong, help: "Log debug details.")
    var verbose = false

    /// The exit status for a configuration that cannot be used (`EX_CONFIG` in sysexits.h).
    static let configurationErrorStatus: Int32 = 78

    /// Prints each configuration problem on its own line, without a usage block, and gives the
    /// error to throw so the command exits with `configurationErrorStatus`.
    static func configurationFailure(_ problems: [String]) -> ExitCode {
        for problem in problems { FileHandle.standardError.write(Data("wptsync: \(problem)\n".utf8)) }
        return ExitCode(configurationErrorStatus)
    }

    /// Loads the configuration, reads its secrets for redaction and sets up logging, or exits with
    /// the configuration error.
    func load(quietTerminal: Bool = false) throws -> (config: Config, file: String) {
        do throws(ConfigError) {
            let file = try ConfigLoader.locate(explicit: config)
            let loaded = try ConfigLoader.load(file: file)
            if let problem = ConfigLoader.commandProblems(in: loaded, file: file).first { throw problem }
            SecretRedaction.install(Application.secretRedactor(for: loaded))
            LogSetup.bootstrap(loaded.log, verbose: verbose, quietTerminal: quietTerminal)
            return (loaded, file)
        } catch {
            throw Self.configurationFailure([error.description])
        }
    }
}
