import SyncCore

extension ConfigLoader {
    /// The allowed range of each numeric setting (README: "Numeric settings"). Seconds take fractions;
    /// counts, milliseconds and bug numbers are whole numbers.
    public enum Ranges {
        /// `store.busy_timeout_ms`: a hook waits this long for a locked journal, so it stays short.
        public static let busyTimeoutMilliseconds = 1...60_000
        /// `store.connect_timeout_s`: libpq waits at least 2 seconds; a hook waits this long for PostgreSQL.
        public static let connectTimeoutSeconds = 2...60
        /// `store.statement_timeout_ms` and `store.worker_statement_timeout_ms`.
        public static let statementTimeoutMilliseconds = 1...600_000
        /// `worker.max_attempts`.
        public static let maxAttempts = 1...1_000
        /// `worker.lease_seconds`: renewed every third of it while an event runs.
        public static let leaseSeconds = 1.0...86_400
        /// `worker.poll_seconds`.
        public static let pollSeconds = 0.001...3_600
        /// `worker.backoff_base_seconds`, `upstream.recheck_seconds`, `landing.retry_seconds`,
        /// `landing.command_timeout_seconds`, `landing.metadata_wait_seconds`: from a millisecond to a day.
        public static let periodSeconds = 0.001...86_400
        /// `worker.backoff_max_seconds`: up to a week (and not below the base).
        public static let backoffMaxSeconds = 0.001...604_800
        /// `autoland.batch_seconds`: up to a day (0: no batches).
        public static let batchSeconds = 0.0...86_400
        /// `autoland.push_failure_seconds`: up to a week (0: to the sheriffs at the first failure).
        public static let pushFailureSeconds = 0.0...604_800
        /// `landing.bug`.
        public static let bug = 1...Int(Int32.max)
        /// `landing.max_push_attempts`.
        public static let maxPushAttempts = 1...100
        /// `[status]` thresholds, in hours (0: report everything at once).
        public static let statusHours = 0.0...8_760
        /// `status.periodic_intervals`: how many of its intervals a periodic task may miss.
        public static let periodicIntervals = 1.0...1_000
        /// `serve.max_body_bytes`: from 1 KiB to 100 MiB (GitHub sends at most 25 MB).
        public static let maxBodyBytes = 1_024...100 * 1_024 * 1_024
        /// `[downstream] max_test_paths`.
        public static let maxTestPaths = 1...100_000
    }
}

extension ConfigLoader {
    /// `[status]`: the thresholds of `wptsync status`, in hours (fractions allowed).
    static func readStatus(_ reader: TableReader?) throws(ConfigError) -> StatusThresholds {
        var status = StatusThresholds()
        guard let reader else { return status }
        for (key, target) in [("event_hours", \StatusThresholds.eventHours), ("sync_hours", \.syncHours),
                              ("landing_hours", \.landingHours), ("pause_hours", \.pauseHours)] {
            status[keyPath: target] = try reader.number(key, in: Ranges.statusHours, unit: "hours") ?? status[keyPath: target]
        }
        status.periodicIntervals = try reader.number("periodic_intervals", in: Ranges.periodicIntervals, unit: "intervals") ?? status.periodicIntervals
        try reader.rejectUnknownKeys()
        return status
    }
}
