import ArgumentParser
import HookIntake

/// `wptsync hook …`: the same entry points as `wptsync-hook`, for running a hook by hand.
/// They always exit 0: a hook never fails a push.
struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a push as the repository hooks do (they run the leaner wptsync-hook).",
        subcommands: [HgChangegroup.self, GitPostReceive.self])

    struct HgChangegroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hg-changegroup",
            abstract: "Mercurial changegroup hook: reads HG_NODE, HG_NODE_LAST, HG_SOURCE, HG_URL and the pushing user.")
        @OptionGroup var options: GlobalOptions

        func run() { HookMain.run(.hgChangegroup, configFile: options.config, verbose: options.verbose, exitsAfter: true) }
    }

    struct GitPostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "git-post-receive",
            abstract: "git post-receive hook: reads <old> <new> <ref> lines on stdin.")
        @OptionGroup var options: GlobalOptions

        func run() { HookMain.run(.gitPostReceive, configFile: options.config, verbose: options.verbose, exitsAfter: true) }
    }
}
