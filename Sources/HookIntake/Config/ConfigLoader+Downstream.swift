import Foundation
import SyncCore

extension ConfigLoader {
    /// `[downstream]`: where try commits are built and pushed, Bugzilla and Taskcluster, and when to test.
    static func readDownstream(_ reader: TableReader?, storePath: String, resolve: (String) -> String,
                               central: GeckoRepository? = nil, landing: LandingSettings? = nil) throws(ConfigError) -> DownstreamSettings? {
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
        try readStability(reader, into: &settings)
        settings.pollSeconds = try reader.number("poll_seconds", in: Ranges.periodSeconds, unit: "seconds") ?? settings.pollSeconds
        settings.reconcileSeconds = try reader.number("reconcile_seconds", in: 0...86_400, unit: "seconds") ?? settings.reconcileSeconds
        settings.enabled = try reader.bool("enabled") ?? true
        try readTryPush(reader, into: &settings, central: central, landing: landing)
        try reader.rejectUnknownKeys()
        return settings
    }

    /// `try_push` (`direct`, or `lando`) and Lando's keys, which default to `[landing]`'s Lando (the
    /// try API takes the headless API's token). Lando's try API is given git patches, so central is git.
    private static func readTryPush(_ reader: TableReader, into settings: inout DownstreamSettings,
                                    central: GeckoRepository?, landing: LandingSettings?) throws(ConfigError) {
        let text = try reader.string("try_push") ?? DownstreamSettings.TryPush.direct.rawValue
        guard let push = DownstreamSettings.TryPush(rawValue: text) else {
            throw .invalid(file: reader.file, key: reader.name("try_push"),
                           reason: "must be one of \(DownstreamSettings.TryPush.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(text))\"")
        }
        settings.tryPush = push
        let token = try secret(reader, "lando_token")
        let repo = try reader.nonEmptyString("lando_repo")
        let url = try reader.nonEmptyString("lando_url")
        // Lando's job is read at each pass (`poll_seconds`): no poll of its own.
        let wait = try reader.number("lando_wait_seconds", in: Ranges.periodSeconds, unit: "seconds")
        guard push == .lando else {
            let keys = ["lando_url", "lando_repo", "lando_token_env", "lando_token_file", "lando_wait_seconds"]
            if let stray = keys.first(where: { reader.table[$0] != nil }) {
                throw .invalid(file: reader.file, key: reader.name(stray), reason: "is only used with try_push = \"lando\"")
            }
            return
        }
        if let central, central.kind != .git {
            throw .invalid(file: reader.file, key: reader.name("try_push"),
                           reason: "\"lando\" needs a git mozilla-central (try commits go to Lando as git format-patch); \"\(central.name)\" is hg")
        }
        guard let url = url ?? landing?.lando?.url else { throw .missing(file: reader.file, key: reader.name("lando_url")) }
        try requireHTTP(url, reader: reader, key: "lando_url")
        // `[landing]`'s token goes only to `[landing]`'s Lando.
        let inherited = url == landing?.lando?.url ? landing?.lando?.token : nil
        var lando = LandoSettings(url: url, repository: repo ?? DownstreamSettings.defaultLandoTryRepository,
                                  token: token ?? inherited ?? LandoSettings.defaultToken)
        lando.waitSeconds = wait ?? landing?.lando?.waitSeconds ?? lando.waitSeconds
        settings.lando = lando
    }

    /// `rebuild` (0: no stability run, else 2–20), `unstable`, `triage` (`{ "Product :: Component" = "who@example.org" }`)
    /// and `triage_default`.
    private static func readStability(_ reader: TableReader, into settings: inout DownstreamSettings) throws(ConfigError) {
        if let rebuild = try reader.integer("rebuild", in: 0...TryTaskConfig.rebuildRange.upperBound) {
            guard rebuild == 0 || TryTaskConfig.rebuildRange.contains(rebuild) else {
                throw .invalid(file: reader.file, key: reader.name("rebuild"), reason: "must be 0 (no stability run) or from 2 to 20, got \(rebuild)")
            }
            settings.rebuild = rebuild == 0 ? nil : rebuild
        }
        if let mode = try reader.string("unstable") {
            guard let known = DownstreamSettings.Unstable(rawValue: mode) else {
                let allowed = DownstreamSettings.Unstable.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                throw .invalid(file: reader.file, key: reader.name("unstable"), reason: "is \"\(mode)\"; expected \(allowed)")
            }
            settings.unstable = known
        }
        if let triage = try reader.table("triage") {
            for component in triage.table.keys.sorted() {
                let parts = component.components(separatedBy: " :: ")
                guard parts.count == 2, parts.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                    throw .invalid(file: reader.file, key: triage.name(component), reason: "is not a bug component: expected \"Product :: Component\"")
                }
                settings.triage[component] = try triage.requiredString(component)
            }
        }
        settings.triageDefault = try reader.nonEmptyString("triage_default")
    }
}
