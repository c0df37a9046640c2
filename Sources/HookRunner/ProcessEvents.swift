import ArgumentParser
import WPTSyncKit

struct ProcessEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process every pending event once, then exit.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        let report = try Application(config: config).worker().drain()
        if let pause = report.paused { print("service paused \(pause.text): nothing processed (`wptsync resume` continues)") }
        if report.heldByStoreMigration { print("a store migration holds this store back: nothing processed (`wptsync status` says what to do)") }
        print("processed \(report.processed.count) event(s), \(report.failed.count) failed"
              + (report.interrupted.isEmpty ? "" : ", \(report.interrupted.count) left to another worker")
              + (report.importedFromSpool > 0 ? ", \(report.importedFromSpool) imported from the spool" : ""))
        if !report.failed.isEmpty { throw ExitCode(1) }
    }
}
