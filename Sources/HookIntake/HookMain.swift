import Foundation
import Logging
import SyncCore

/// The whole run of a hook process, shared by `wptsync-hook` and `wptsync hook`: load the
/// configuration, record the push, report problems. It never fails: the status is always 0.
public enum HookMain {
    /// The hooks this runs.
    public enum Kind: String, CaseIterable, Sendable {
        case hgChangegroup = "hg-changegroup"
        case gitPostReceive = "git-post-receive"
    }

    /// Runs `kind` with the configuration at `configFile` (or the default one) and returns the exit status.
    @discardableResult
    public static func run(_ kind: Kind, configFile: String?, verbose: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        let config: Config
        do {
            config = try ConfigLoader.load(file: try ConfigLoader.locate(explicit: configFile, environment: environment))
        } catch {
            warn("not recording this push: \(error)")
            return 0
        }
        LogSetup.bootstrap(config.log, verbose: verbose)
        let intake = HookIntake(config: config)
        let outcome: HookOutcome
        switch kind {
        case .hgChangegroup:
            outcome = intake.hgChangegroup(environment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
        case .gitPostReceive:
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            outcome = intake.gitPostReceive(stdin: input, gitDirectory: environment["GIT_DIR"] ?? ".",
                                            user: environment["REMOTE_USER"] ?? environment["USER"])
        }
        report(outcome, kind: kind)
        return 0
    }

    /// The entry point of `wptsync-hook <kind> [--config FILE] [--verbose]`.
    public static func main(arguments: [String]) -> Int32 {
        var rest = arguments[...]
        guard let name = rest.popFirst(), let kind = Kind(rawValue: name) else {
            warn("usage: wptsync-hook (\(Kind.allCases.map(\.rawValue).joined(separator: "|"))) [--config FILE] [--verbose]")
            return 0
        }
        var configFile: String?
        var verbose = false
        while let argument = rest.popFirst() {
            switch argument {
            case "--config": configFile = rest.popFirst()
            case "--verbose", "-v": verbose = true
            default: warn("ignoring unknown argument \(argument)")
            }
        }
        return run(kind, configFile: configFile, verbose: verbose)
    }

    static func report(_ outcome: HookOutcome, kind: Kind) {
        let logger = Logger(label: "wptsync.hook.\(kind.rawValue)")
        switch outcome {
        case .recorded(let id):
            logger.debug("recorded", metadata: ["event": "\(id)"])
        case .duplicate(let id):
            logger.debug("already recorded", metadata: ["event": "\(id)"])
        case .skipped(let reason):
            logger.debug("skipped", metadata: ["reason": "\(reason)"])
        case .spooled(let reason):
            logger.warning("journal unavailable; the push is kept in the spool for the next run", metadata: ["reason": "\(reason)"])
        case .rejected(let reasons):
            for reason in reasons { logger.error("input rejected", metadata: ["reason": "\(reason)"]) }
        case .lost(let reason):
            logger.critical("could not record this push; replay it with `wptsync replay`", metadata: ["reason": "\(reason)"])
        }
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("wptsync: \(message)\n".utf8))
    }
}
