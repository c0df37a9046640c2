import ArgumentParser

@main
struct WPTSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wptsync",
        abstract: "Keeps web-platform-tests in sync between Gecko and upstream wpt.",
        subcommands: [
            Demo.self, Hook.self, ProcessEvents.self, RunWorker.self, ListEvents.self, Retry.self,
            ListSyncs.self, Show.self, Continue.self, Landings.self, FetchUpstream.self, MapCommit.self, Replay.self,
            Pause.self, Resume.self, Skip.self, Unskip.self, Delete.self, Rebuild.self,
            InstallHooks.self, CheckConfig.self, ParseMessage.self,
        ])
}
