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
        try readLandingPush(reader, into: &settings, repository: repository)
        try reader.rejectUnknownKeys()
        return settings
    }

    /// `push` (`direct`, or `lando` when `lando_url` is given) and Lando's keys: Lando takes git only.
    private static func readLandingPush(_ reader: TableReader, into settings: inout LandingSettings,
                                        repository: GeckoRepository) throws(ConfigError) {
        let url = try reader.nonEmptyString("lando_url")
        let text = try reader.string("push") ?? (url == nil ? LandingPush.direct.rawValue : LandingPush.lando.rawValue)
        guard let push = LandingPush(rawValue: text) else {
            throw .invalid(file: reader.file, key: reader.name("push"),
                           reason: "must be one of \(LandingPush.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(text))\"")
        }
        settings.push = push
        if repository.kind == .git, settings.command != nil {
            throw .invalid(file: reader.file, key: reader.name("command"),
                           reason: "is not supported yet when the integration repository is git (\"\(repository.name)\")")
        }
        let token = try secret(reader, "lando_token")
        let repo = try reader.nonEmptyString("lando_repo")
        var seconds: [String: Double] = [:]
        for key in ["lando_poll_seconds", "lando_wait_seconds"] { seconds[key] = try reader.number(key, in: Ranges.periodSeconds, unit: "seconds") }
        guard push == .lando else {
            let keys = ["lando_url", "lando_repo", "lando_token_env", "lando_token_file", "lando_poll_seconds", "lando_wait_seconds"]
            if let stray = keys.first(where: { reader.table[$0] != nil }) {
                throw .invalid(file: reader.file, key: reader.name(stray), reason: "is only used with push = \"lando\"")
            }
            return
        }
        guard repository.kind == .git else {
            throw .invalid(file: reader.file, key: reader.name("push"),
                           reason: "\"lando\" needs a git integration repository (Lando's automation API takes git only); \"\(repository.name)\" is hg")
        }
        guard let url else { throw .missing(file: reader.file, key: reader.name("lando_url")) }
        try requireHTTP(url, reader: reader, key: "lando_url")
        guard let repo else { throw .missing(file: reader.file, key: reader.name("lando_repo")) }
        var lando = LandoSettings(url: url, repository: repo, token: token ?? LandoSettings.defaultToken)
        lando.pollSeconds = seconds["lando_poll_seconds"] ?? lando.pollSeconds
        lando.waitSeconds = seconds["lando_wait_seconds"] ?? lando.waitSeconds
        settings.lando = lando
    }
}
