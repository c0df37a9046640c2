import ArgumentParser
import WPTSyncKit

struct Continue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue work in needs-fixup after a person fixed it by hand.",
        discussion: """
            continue upstream SYNC: push the fixed commits to the sync's branch (gecko/<bug>) upstream first; \
            wptsync takes that branch as it is.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case upstream }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What to continue: upstream.") var kind: Kind
    @Argument(help: "The sync id (see `wptsync list`).") var sync: Int64

    func run() throws {
        let (config, _) = try options.load()
        let resumed = try Application(config: config).resume(syncID: sync)
        print(SyncFormat.line(resumed))
    }
}
