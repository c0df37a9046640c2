import ArgumentParser
import Store
import SyncCore
import WPTSyncKit

struct Autoland: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Autoland requests (try pushes asking to be landed).", subcommands: [AutolandList.self, AutolandShow.self, AutolandLand.self, AutolandReject.self])
}

struct AutolandList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List autoland requests, newest first: state, requester, tree, why.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only requests in this state (requested, watching, landing, queued, batched, landed, rejected, refused).") var state: AutolandPhase?
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        for request in try Application(config: config, journalMustExist: true).journal.autolandRequests(phases: state.map { [$0] }) {
            print(json ? AutolandFormat.json(request) : AutolandFormat.line(request))
        }
    }
}

struct AutolandShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One autoland request in detail: changesets, failed jobs, bug comments.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The request's id.") var id: Int64
    @Flag(help: "One JSON object.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        guard let request = try Application(config: config, journalMustExist: true).journal.autolandRequest(id: id) else {
            throw ValidationError("no autoland request \(id)")
        }
        print(json ? AutolandFormat.json(request) : AutolandFormat.detail(request).joined(separator: "\n"))
    }
}

extension AutolandPhase: ExpressibleByArgument {}
