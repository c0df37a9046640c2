import ArgumentParser
import Foundation
import Store
import WPTSyncKit

struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make failed events due again now, with a fresh attempt count.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Event ids to retry.") var ids: [Int64] = []
    @Flag(help: "Retry every failed event.") var all = false

    func validate() throws {
        if ids.isEmpty == !all { throw ValidationError("give event ids or --all") }
    }

    func run() throws {
        let (config, _) = try options.load()
        let retried = try SQLiteJournal(path: config.store.path).retry(ids: all ? nil : ids, now: Date())
        let missed = Set(ids).subtracting(retried)
        print(retried.isEmpty ? "no failed events to retry" : "will retry event(s) \(retried.map(String.init).joined(separator: ", "))")
        if !missed.isEmpty { print("not failed, left alone: \(missed.sorted().map(String.init).joined(separator: ", "))") }
    }
}
