import Foundation
import SyncCore

extension ConfigLoader {
    /// `[downstream]`: where try commits are built and pushed, Bugzilla and Taskcluster, and when to test.
    static func readDownstream(_ reader: TableReader?, storePath: String,
                               resolve: (String) -> String) throws(ConfigError) -> DownstreamSettings? {
        guard let reader else { return nil }
        let bugzilla = try reader.requiredString("bugzilla_url")
        try requireHTTP(bugzilla, reader: reader, key: "bugzilla_url")
        let taskcluster = try reader.requiredString("taskcluster_url")
        try requireHTTP(taskcluster, reader: reader, key: "taskcluster_url")
        let tryRepository = try reader.requiredString("try_repository")
        let defaultClone = URL(fileURLWithPath: storePath).deletingLastPathComponent().appendingPathComponent("try-clone").path
        var settings = DownstreamSettings(
            tryRepository: tryRepository.contains("://") ? tryRepository : resolve(tryRepository),
            clone: try reader.nonEmptyString("clone").map(resolve) ?? defaultClone,
            bugzillaURL: bugzilla, bugzillaKey: try secret(reader, "bugzilla_api_key"), taskclusterURL: taskcluster)
        if let when = try reader.string("try_after") {
            guard let known = DownstreamPlanner.TryAfter(rawValue: when) else {
                let allowed = DownstreamPlanner.TryAfter.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                throw .invalid(file: reader.file, key: reader.name("try_after"), reason: "is \"\(when)\"; expected \(allowed)")
            }
            settings.tryAfter = known
        }
        settings.maxTestPaths = try reader.integer("max_test_paths", in: Ranges.maxTestPaths) ?? settings.maxTestPaths
        if let tasks = try reader.strings("tasks") {
            guard !tasks.isEmpty else { throw .invalid(file: reader.file, key: reader.name("tasks"), reason: "must not be empty") }
            settings.tasks = tasks
        }
        settings.runnerContact = try reader.nonEmptyString("runner_contact")
        settings.pollSeconds = try reader.number("poll_seconds", in: Ranges.periodSeconds, unit: "seconds") ?? settings.pollSeconds
        settings.reconcileSeconds = try reader.number("reconcile_seconds", in: 0...86_400, unit: "seconds") ?? settings.reconcileSeconds
        settings.enabled = try reader.bool("enabled") ?? true
        try reader.rejectUnknownKeys()
        return settings
    }
}
