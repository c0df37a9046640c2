import ArgumentParser
import Foundation
import Synchronization
import WPTSyncKit

struct RunWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Keep processing events as they arrive, until SIGINT or SIGTERM.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        let worker = try Application(config: config).worker()
        StopSignal.install()
        try worker.run(shouldStop: { StopSignal.requested }, sleep: { StopSignal.sleep(seconds: $0) })
    }
}

/// SIGINT/SIGTERM ask the worker to stop after the event in hand.
enum StopSignal {
    private static let flag = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in StopSignal.flag.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in StopSignal.flag.store(true, ordering: .relaxed) }
    }

    static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Sleeps in short steps so a stop request is noticed quickly.
    static func sleep(seconds: Double) {
        var left = seconds
        while left > 0 && !requested {
            usleep(UInt32(min(left, 0.1) * 1_000_000))
            left -= 0.1
        }
    }
}
