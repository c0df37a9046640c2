import ArgumentParser
import WPTSyncKit

struct Revert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the PR reverting upstream a sync merged there, then backed out in Gecko.",
        discussion: """
            revert upstream SYNC: for a sync in backed-out-after-merge, push a branch gecko/revert/<bug> from \
            upstream master that reverts the merged commits, and open a PR for it. wptsync never does this by \
            itself; run again, it shows the revert PR already opened.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case upstream }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What to revert: upstream.") var kind: Kind
    @Argument(help: "The sync id (see `wptsync list --status backed-out-after-merge`).") var sync: Int64

    func run() throws {
        let (config, _) = try options.load()
        let result = try Application(config: config, journalMustExist: true).revertUpstream(syncID: sync)
        print(result.line)
        print(SyncFormat.line(result.sync))
    }
}
