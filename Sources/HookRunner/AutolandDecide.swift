import ArgumentParser
import WPTSyncKit

struct AutolandLand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "land", abstract: "Land a request waiting in the sheriff queue (you must be in the sheriff group).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The request's id.") var id: Int64

    func run() throws {
        let (config, _) = try options.load()
        let (request, notes) = try Application(config: config, journalMustExist: true).decideAutoland(id: id, .land, as: Application.realUser())
        for line in notes + [AutolandFormat.line(request)] { print(line) }
    }
}

struct AutolandReject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject a request waiting in the sheriff queue, with a reason for its bug (sheriffs only).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The request's id.") var id: Int64
    @Option(help: "Why, for the requester: commented on the bug.") var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why, for the requester") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let (request, notes) = try Application(config: config, journalMustExist: true)
            .decideAutoland(id: id, .reject(reason: reason), as: Application.realUser())
        for line in notes + [AutolandFormat.line(request)] { print(line) }
    }
}
