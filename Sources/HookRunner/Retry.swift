import ArgumentParser
import Foundation
import Store
import WPTSyncKit

struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make failed events due again now, with a fresh attempt count; or retry one sync now.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Event ids to retry.") var ids: [Int64] = []
    @Flag(help: "Retry every failed event.") var all = false
    @Option(help: "Retry this sync now: its failed events become due and it is reconciled with GitHub (needs-fixup included).")
    var sync: Int64?

    func validate() throws {
        if [!ids.isEmpty, all, sync != nil].filter({ $0 }).count != 1 { throw ValidationError("give event ids, --all, or --sync ID") }
    }

    func run() throws {
        let (config, _) = try options.load()
        if let sync {
            for line in try Operations(app: Application(config: config)).retry(syncID: sync) { print(line) }
            return
        }
        let journal = try Application(config: config, journalMustExist: true).events
        let retried = try journal.retry(ids: all ? nil : ids, now: Date())
        let missed = Set(ids).subtracting(retried)
        print(retried.isEmpty ? "no failed events to retry" : "will retry event(s) \(retried.map(String.init).joined(separator: ", "))")
        if !missed.isEmpty { print("not failed, left alone: \(missed.sorted().map(String.init).joined(separator: ", "))") }
    }
}
