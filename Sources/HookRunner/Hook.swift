import ArgumentParser
import Foundation
import Logging
import SyncCore
import WPTSyncKit

/// `wptsync hook …`: the entry points the repository hooks call. They always exit 0.
struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a push (called by the repository hooks; never fails the push).",
        subcommands: [HgChangegroup.self, GitPostReceive.self])

    struct HgChangegroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hg-changegroup",
            abstract: "Mercurial changegroup hook: reads HG_NODE, HG_NODE_LAST, HG_SOURCE, HG_URL and the pushing user.")
        @OptionGroup var options: GlobalOptions

        func run() {
            let environment = ProcessInfo.processInfo.environment
            HookReporter.run(options) { intake in
                intake.hgChangegroup(environment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
            }
        }
    }

    struct GitPostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "git-post-receive",
            abstract: "git post-receive hook: reads <old> <new> <ref> lines on stdin.")
        @OptionGroup var options: GlobalOptions

        func run() {
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            let environment = ProcessInfo.processInfo.environment
            HookReporter.run(options) { intake in
                intake.gitPostReceive(stdin: input, gitDirectory: environment["GIT_DIR"] ?? ".",
                                      user: environment["REMOTE_USER"] ?? environment["USER"])
            }
        }
    }
}

/// Runs a hook body and reports its outcome; a hook never throws or exits non-zero.
enum HookReporter {
    static func run(_ options: GlobalOptions, _ body: (HookIntake) -> HookOutcome) {
        let loaded: (config: Config, file: String)
        do { loaded = try options.load() } catch {
            warn("not recording this push: \(error)")
            return
        }
        let outcome = body(HookIntake(config: loaded.config))
        let logger = Logger(label: "wptsync.hook")
        switch outcome {
        case .recorded(let id):
            logger.debug("recorded", metadata: ["event": "\(id)"])
        case .duplicate(let id):
            logger.debug("already recorded", metadata: ["event": "\(id)"])
        case .skipped(let reason):
            logger.debug("skipped", metadata: ["reason": "\(reason)"])
        case .spooled(let reason):
            logger.warning("journal unavailable, event kept in the spool for the next run", metadata: ["reason": "\(reason)"])
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
