import Foundation
import Logging
import SyncCore

/// The whole run of a hook process, shared by `wptsync-hook` and `wptsync hook`: load the
/// configuration, record the push, report problems. The status is 0 unless the push was neither
/// recorded nor kept in the spool (`notKept`); the hook scripts then save its raw input themselves,
/// and always exit 0.
public enum HookMain {
    /// The status when the push could not be kept: the configuration is unreadable, the repository
    /// is not in it, or neither the journal nor the spool could be written (EX_TEMPFAIL).
    public static let notKept: Int32 = 75

    /// The hooks this runs.
    public enum Kind: String, CaseIterable, Sendable {
        case hgChangegroup = "hg-changegroup"
        case gitPostReceive = "git-post-receive"
    }

    /// Runs `kind` with the configuration at `configFile` (or the default one) and returns the exit
    /// status. With `exitsAfter` (the process ends with this run) the journal is left to the exit.
    @discardableResult
    public static func run(_ kind: Kind, configFile: String?, verbose: Bool = false, exitsAfter: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        let config: Config
        let file: String
        do {
            file = try ConfigLoader.locate(explicit: configFile, environment: environment)
            config = try ConfigLoader.load(file: file)
        } catch {
            warn("cannot record this push: \(error)")
            return notKept
        }
        LogSetup.bootstrap(config.log, verbose: verbose)
        var intake = HookIntake(config: config)
        intake.closesJournal = !exitsAfter
        let outcome: HookOutcome
        switch kind {
        case .hgChangegroup:
            outcome = intake.hgChangegroup(environment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
        case .gitPostReceive:
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            outcome = intake.gitPostReceive(stdin: input, gitDirectory: environment["GIT_DIR"] ?? ".",
                                            user: HookInput.user(environment: environment))
        }
        report(outcome, kind: kind, configFile: file)
        switch outcome {
        case .lost, .unlisted: return notKept
        default: return 0
        }
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
        return run(kind, configFile: configFile, verbose: verbose, exitsAfter: true)
    }

    static func report(_ outcome: HookOutcome, kind: Kind, configFile: String) {
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
        case .unlisted(let reason):
            logger.warning("\(reason)")
        case let .lost(payload, reason):
            logger.critical("could not record this push (\(reason)): \(lostPush(payload, configFile: configFile))")
        }
    }

    /// What a lost push was and the commands that bring it back.
    static func lostPush(_ payload: EventPayload, configFile: String) -> String {
        let replay = "wptsync replay --config \(Paths.shellWord(configFile))"
        switch payload {
        case .hgPush(let push):
            return "\(push.repository) received \(push.firstNode) to \(push.lastNode); once the journal or the spool can be written, run: "
                + "\(replay) --repository \(Paths.shellWord(push.repository)) --revs \(push.firstNode):\(push.lastNode)"
        case .gitPush(let push):
            return "\(push.repository) received " + push.updates.map { update in
                let range = "\(update.old)..\(update.new)"
                let command = update.isCreation || update.isDeletion ? ""
                    : push.repository != "wpt" ? " (run: \(replay) --repository \(Paths.shellWord(push.repository)) --revs \(range))"
                    : update.ref == "refs/heads/master" ? " (run: \(replay) --wpt \(range))" : ""
                return "\(update.ref) \(update.old) to \(update.new)" + command
            }.joined(separator: "; ")
        case .gitHubDelivery(let delivery):
            return "GitHub delivery \(delivery.delivery) (\(delivery.summary)); redeliver it from the webhook's settings on GitHub"
        }
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("wptsync: \(message)\n".utf8))
    }
}
