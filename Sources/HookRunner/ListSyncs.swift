import ArgumentParser
import Foundation
import Store
import SyncCore
import WPTSyncKit

struct ListSyncs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List upstream syncs, newest first: state, PR, what each waits for, last error.")
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Only syncs in this state (\(SyncStatus.allCases.map(\.rawValue).joined(separator: ", ")))."))
    var status: SyncStatus?
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let (config, _) = try options.load()
        let app = try Application(config: config, journalMustExist: true)
        if let paused = try Operations(app: app).pauseLine() { json ? FileHandle.standardError.write(Data((paused + "\n").utf8)) : print(paused) }
        for sync in try app.journal.syncs(bug: nil, status: status) {
            print(json ? SyncFormat.json(sync) : SyncFormat.line(sync))
        }
    }
}

extension SyncStatus: ExpressibleByArgument {}
