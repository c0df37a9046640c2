import ArgumentParser
import SyncCore
import WPTSyncKit

extension ConflictResolution: ExpressibleByArgument {}

struct Continue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue work in needs-fixup after a person fixed it by hand.",
        discussion: """
            continue upstream SYNC: push the fixed commits to the sync's branch (gecko/<bug>) upstream first; \
            wptsync takes that branch as it is.
            continue landing: settle the conflict with --take upstream (drop Gecko's own change to those files) \
            or --take gecko (do not import upstream's change to them), or fix Gecko first, or skip the PR; the \
            landing is rebuilt from the integration repository's tip. Also retries a deferred landing at once.
            continue downstream PR: after a person settled what blocked a PR's downstream sync (a conflict with \
            mozilla-central), it goes on at once.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case upstream, landing, downstream }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What to continue: upstream, landing or downstream.") var kind: Kind
    @Argument(help: "The sync id, for upstream (see `wptsync list`); the upstream PR number, for downstream.") var sync: Int64?
    @Option(help: "For landing: settle the conflicting files with upstream's or Gecko's version.") var take: ConflictResolution?

    func validate() throws {
        if kind == .upstream && sync == nil { throw ValidationError("give the sync id: wptsync continue upstream SYNC") }
        if kind == .downstream && sync == nil { throw ValidationError("give the PR number: wptsync continue downstream PR") }
        if kind == .landing && sync != nil { throw ValidationError("continue landing takes no id: only one landing is open at a time") }
        if kind != .landing && take != nil { throw ValidationError("--take applies to continue landing") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let application = try Application(config: config)
        switch kind {
        case .upstream: print(SyncFormat.line(try application.resume(syncID: sync ?? 0)))
        case .landing: for line in try application.continueLanding(take: take) { print(line) }
        case .downstream: for line in try application.continueDownstream(pullRequest: Int(sync ?? 0)) { print(line) }
        }
    }
}
