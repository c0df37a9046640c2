import ArgumentParser
import Foundation
import Store
import WPTSyncKit

struct ListEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List recorded events, newest first.",
        subcommands: [DropEvent.self])
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only events in this state (pending, running, done, failed, dropped).") var state: EventState?
    @Option(help: "At most this many events (0: only the counts).") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more, got \(limit)") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let app = try Application(config: config, journalMustExist: true)
        let journal = app.events
        let operations = Operations(app: app)
        for warning in [operations.quarantineLine(), try operations.pauseLine()].compactMap({ $0 }) {
            json ? FileHandle.standardError.write(Data((warning + "\n").utf8)) : print(warning)
        }
        for event in try journal.events(state: state, limit: limit) {
            print(json ? EventFormat.json(event) : EventFormat.line(event))
        }
        if !json {
            let counts = try journal.counts()
            print(EventState.allCases.map { "\($0.rawValue): \(counts[$0] ?? 0)" }.joined(separator: ", "))
        }
    }
}

extension EventState: ExpressibleByArgument {}
