import ArgumentParser
import Foundation
import HookIntake

@main
struct WPTSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wptsync",
        abstract: "Keeps web-platform-tests in sync between Gecko and upstream wpt.",
        subcommands: [
            Demo.self, Hook.self, ProcessEvents.self, RunWorker.self, Serve.self, Downstreams.self, RetryTry.self, ReconcilePRs.self,
            ListEvents.self, Retry.self,
            ListSyncs.self, Show.self, Continue.self, Revert.self, Landings.self, FetchUpstream.self, MapCommit.self, Replay.self,
            Status.self, Pause.self, Resume.self, Skip.self, Unskip.self, Delete.self, Rebuild.self,
            InstallHooks.self, CheckConfig.self, Migrate.self, MigrateStore.self, ParseMessage.self, Metadata.self, Autoland.self, SheriffToken.self,
        ])

    /// ArgumentParser's own `main`, except that a failing command's message is printed with the
    /// configured secrets redacted.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let message = SecretRedaction.redact(fullMessage(for: error))
            let code = exitCode(for: error)
            if !message.isEmpty {
                if code.isSuccess { print(message) } else { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            }
            exit(withError: code)
        }
    }
}
