import ArgumentParser
import HookIntake
import WPTSyncKit

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen for the on-call person: the pause, stuck events, syncs and landings (with the command that moves each on), periodic tasks. Exit 1 when something needs a person.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "One JSON object, for monitoring.") var json = false
    @Option(help: "An event pending or failing for longer than this many hours needs a person (default: [status] event_hours, 1).") var eventHours: Double?
    @Option(help: "A sync open for longer than this many hours needs a person (default: [status] sync_hours, 72).") var syncHours: Double?
    @Option(help: "A landing open, deferred or pushed for longer than this many hours needs a person (default: [status] landing_hours, 48).") var landingHours: Double?
    @Option(help: "A pause older than this many hours needs a person (default: [status] pause_hours, 4).") var pauseHours: Double?

    func validate() throws {
        for (name, value) in [("--event-hours", eventHours), ("--sync-hours", syncHours), ("--landing-hours", landingHours), ("--pause-hours", pauseHours)] {
            if let value, !ConfigLoader.Ranges.statusHours.contains(value) {
                throw ValidationError("\(name) must be from 0 to \(Int(ConfigLoader.Ranges.statusHours.upperBound)) hours, got \(value)")
            }
        }
    }

    func run() throws {
        let (config, _) = try options.load(quietTerminal: json)
        var thresholds = config.status
        thresholds.eventHours = eventHours ?? thresholds.eventHours
        thresholds.syncHours = syncHours ?? thresholds.syncHours
        thresholds.landingHours = landingHours ?? thresholds.landingHours
        thresholds.pauseHours = pauseHours ?? thresholds.pauseHours
        let status = try Application(config: config, journalMustExist: true).status(thresholds: thresholds)
        print(json ? StatusFormat.json(status, thresholds: thresholds) : StatusFormat.text(status))
        if status.needsPerson { throw ExitCode(1) }
    }
}
