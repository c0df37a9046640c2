import Foundation
import SyncCore

extension ConfigLoader {
    /// `[landing]`: needs a configured integration repository and a bug.
    static func readLanding(_ reader: TableReader?, gecko: [GeckoRepository], storePath: String,
                            resolve: (String) -> String) throws(ConfigError) -> LandingSettings? {
        guard let reader else { return nil }
        let name = try reader.requiredString("repository")
        guard let repository = gecko.first(where: { $0.name == name }) else {
            throw .invalid(file: reader.file, key: reader.name("repository"), reason: "names no [[gecko]] repository (\"\(name)\")")
        }
        guard repository.role == .integration else {
            throw .invalid(file: reader.file, key: reader.name("repository"), reason: "must name an integration repository, \"\(name)\" is \(repository.role.rawValue)")
        }
        guard let bug = try reader.integer("bug", in: ConfigLoader.Ranges.bug) else {
            throw .invalid(file: reader.file, key: reader.name("bug"), reason: "is required: the bug number landing commits name")
        }
        let defaultClone = URL(fileURLWithPath: storePath).deletingLastPathComponent().appendingPathComponent("landing-\(name)").path
        var settings = LandingSettings(repository: name, bug: bug, clone: try reader.nonEmptyString("clone").map(resolve) ?? defaultClone)
        settings.pushURL = try reader.nonEmptyString("push_url")
        settings.user = try reader.string("user") ?? settings.user
        if let exclude = try reader.strings("exclude") {
            if let bad = exclude.first(where: { $0.hasPrefix("/") || $0.split(separator: "/").contains { $0 == ".." || $0 == "." } || $0.isEmpty }) {
                throw .invalid(file: reader.file, key: reader.name("exclude"), reason: "must hold paths relative to the wpt root, got \"\(bad)\"")
            }
            settings.exclude = exclude.map { path in String(path.reversed().drop { $0 == "/" }.reversed()) }
        }
        if let url = try reader.string("treestatus_url") {
            try requireHTTP(url, reader: reader, key: "treestatus_url")
            settings.treestatusURL = url
        }
        if let command = try reader.strings("command") {
            guard !command.isEmpty else { throw .invalid(file: reader.file, key: reader.name("command"), reason: "must not be empty") }
            settings.command = command
        }
        settings.maxPushAttempts = try reader.integer("max_push_attempts", in: Ranges.maxPushAttempts) ?? settings.maxPushAttempts
        settings.waitForMetadata = try reader.bool("wait_for_metadata") ?? false
        for (key, target) in [("retry_seconds", \LandingSettings.retrySeconds), ("command_timeout_seconds", \.commandTimeoutSeconds),
                              ("metadata_wait_seconds", \.metadataWaitSeconds)] {
            settings[keyPath: target] = try reader.number(key, in: Ranges.periodSeconds, unit: "seconds") ?? settings[keyPath: target]
        }
        settings.enabled = try reader.bool("enabled") ?? true
        try reader.rejectUnknownKeys()
        return settings
    }
}
