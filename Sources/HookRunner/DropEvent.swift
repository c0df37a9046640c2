import ArgumentParser
import Foundation
import Store
import WPTSyncKit

struct DropEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Set a pending or failed event aside for good: it is never processed and holds nothing back.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The event id (see `wptsync events`).") var id: Int64
    @Option(help: "Why, for the others on call.") var reason: String
    @Option(help: "Who drops it (default: $SUDO_USER, then $USER).") var by: String?

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let note = OperatorNote(by: by ?? Operations.currentUser(), reason: reason, since: Date())
        switch try Application(config: config).events.drop(id: id, note: note) {
        case .dropped(let event): print("dropped " + EventFormat.line(event))
        case .alreadyDropped(let event): print("already dropped, nothing changed: " + EventFormat.line(event))
        }
    }
}
