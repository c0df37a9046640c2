import ArgumentParser
import Foundation
import Store
import WPTSyncKit

struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop workers from talking to GitHub (an outage); hooks keep recording, events wait.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Why, for the others on call.") var reason: String
    @Option(help: "Who pauses (default: $SUDO_USER, then $USER).") var by: String?

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why, for the others on call") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let note = OperatorNote(by: by ?? Operations.currentUser(), reason: reason, since: Date())
        for line in try Operations(app: Application(config: config)).pause(note) { print(line) }
    }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lift a pause: the next worker pass processes the waiting events in order.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        for line in try Operations(app: Application(config: config)).resume() { print(line) }
    }
}
