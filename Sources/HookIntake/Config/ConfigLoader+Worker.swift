import Foundation
import SyncCore

extension ConfigLoader {
    /// `[worker]`: attempts, lease, polling and backoff.
    static func readWorker(_ reader: TableReader?) throws(ConfigError) -> WorkerSettings {
        guard let reader else { return WorkerSettings() }
        var worker = WorkerSettings()
        worker.maxAttempts = try reader.integer("max_attempts", in: Ranges.maxAttempts) ?? worker.maxAttempts
        for (key, target, range) in [("lease_seconds", \WorkerSettings.leaseSeconds, Ranges.leaseSeconds),
                                     ("poll_seconds", \.pollSeconds, Ranges.pollSeconds),
                                     ("backoff_base_seconds", \.backoff.baseSeconds, Ranges.periodSeconds),
                                     ("backoff_max_seconds", \.backoff.maxSeconds, Ranges.backoffMaxSeconds)] {
            worker[keyPath: target] = try reader.number(key, in: range, unit: "seconds") ?? worker[keyPath: target]
        }
        guard worker.backoff.maxSeconds >= worker.backoff.baseSeconds else {
            throw .invalid(file: reader.file, key: reader.name("backoff_max_seconds"),
                           reason: "(\(seconds(worker.backoff.maxSeconds))) is below `\(reader.name("backoff_base_seconds"))` (\(seconds(worker.backoff.baseSeconds)))")
        }
        try reader.rejectUnknownKeys()
        return worker
    }

    /// `[log]`: the JSON-lines file and the level.
    static func readLog(_ reader: TableReader?, resolve: (String) -> String) throws(ConfigError) -> LogSettings {
        guard let reader else { return LogSettings() }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        let level = try reader.string("level") ?? "info"
        guard levels.contains(level) else {
            throw .invalid(file: reader.file, key: reader.name("level"), reason: "must be one of \(levels.joined(separator: ", ")), got \"\(Redactor.url(level))\"")
        }
        let settings = LogSettings(file: try reader.nonEmptyString("file").map(resolve), level: level)
        try reader.rejectUnknownKeys()
        return settings
    }

    private static func seconds(_ value: Double) -> String { String(format: "%g", value) }
}
