import ArgumentParser
import WPTSyncKit

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a sync in needs-fixup after its upstream branch was fixed by hand.",
        discussion: "Push the fixed commits to the sync's branch (gecko/<bug>) upstream first; wptsync takes that branch as it is.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The sync id (see `wptsync list`).") var sync: Int64

    func run() throws {
        let (config, _) = try options.load()
        let resumed = try Application(config: config).resume(syncID: sync)
        print(SyncFormat.line(resumed))
    }
}
