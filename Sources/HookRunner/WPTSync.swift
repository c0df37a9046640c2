import ArgumentParser

@main
struct WPTSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wptsync",
        abstract: "Keeps web-platform-tests in sync between Gecko and upstream wpt.",
        subcommands: [
            Demo.self, Hook.self, ProcessEvents.self, RunWorker.self, ListEvents.self, Retry.self,
            ListSyncs.self, Show.self, Continue.self, Replay.self,
            InstallHooks.self, CheckConfig.self, ParseMessage.self,
        ])
}
