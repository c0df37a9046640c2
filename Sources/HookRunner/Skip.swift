import ArgumentParser
import Foundation
import Store
import WPTSyncKit

/// What `skip` and `unskip` act on.
enum SkipKind: String, ExpressibleByArgument, CaseIterable { case changeset, pr }

struct Skip: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a Gecko changeset as never to be exported, or an upstream PR as never to be imported.",
        discussion: "skip changeset NODE --reason TEXT | skip pr NUMBER --reason TEXT | skip --list")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "changeset or pr.") var kind: SkipKind?
    @Argument(help: "The changeset (12 to 40 hex digits) or the PR number.") var target: String?
    @Option(help: "Why, for the others on call.") var reason: String?
    @Option(help: "Who skips (default: $SUDO_USER, then $USER).") var by: String?
    @Flag(help: "List what is skipped.") var list = false

    func validate() throws {
        if list { guard kind == nil && target == nil else { throw ValidationError("--list takes no other argument") }; return }
        guard kind != nil, target != nil else { throw ValidationError("give `changeset NODE` or `pr NUMBER`, or --list") }
        guard let reason, !reason.isEmpty else { throw ValidationError("give --reason") }
        if kind == .pr, (Int(target ?? "") ?? 0) < 1 { throw ValidationError("\(target ?? "") is not a PR number (1 or more)") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let operations = try Operations(app: Application(config: config))
        let lines: [String]
        if list {
            lines = try operations.skipLines()
            if lines.isEmpty { print("nothing is skipped") }
        } else {
            let note = OperatorNote(by: by ?? Operations.currentUser(), reason: reason ?? "", since: Date())
            lines = kind == .pr ? try operations.skip(pr: Int(target!)!, note: note) : try operations.skip(changeset: target!, note: note)
        }
        for line in lines { print(line) }
    }
}

struct Unskip: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Undo `wptsync skip`.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "changeset or pr.") var kind: SkipKind
    @Argument(help: "The changeset (12 to 40 hex digits) or the PR number.") var target: String

    func validate() throws {
        if kind == .pr, (Int(target) ?? 0) < 1 { throw ValidationError("\(target) is not a PR number (1 or more)") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let operations = try Operations(app: Application(config: config))
        let lines = kind == .pr ? try operations.unskip(pr: Int(target)!) : try operations.unskip(changeset: target)
        for line in lines { print(line) }
    }
}
