import Foundation
import SyncCore

extension ConfigLoader {
    /// `[wpt]`: the local mirror, the refs its hook records, and where upstream is pushed to and fetched from.
    static func readMirror(_ reader: TableReader, resolve: (String) -> String) throws(ConfigError) -> WPTMirror {
        let path = resolve(try reader.requiredString("path"))
        let refs = try reader.strings("refs") ?? WPTMirror.defaultRefs
        for pattern in refs where !RefName.isValid(String(pattern.map { $0 == "*" ? "x" : $0 })) {
            throw .invalid(file: reader.file, key: reader.name("refs"), reason: "has an invalid ref pattern \"\(pattern)\" (full names like refs/heads/master; * matches one component)")
        }
        let forkOwner = try reader.nonEmptyString("fork_owner")
        if let forkOwner, !PushTarget.isAccountName(forkOwner) {
            throw .invalid(file: reader.file, key: reader.name("fork_owner"), reason: "must be a GitHub account name (letters, digits and -), got \"\(Redactor.url(forkOwner))\"")
        }
        let mirror = WPTMirror(path: path, refs: refs, upstreamPushURL: try reader.string("upstream_push_url"),
                               fetchURL: try reader.string("fetch_url"), forkOwner: forkOwner, enabled: try reader.bool("enabled") ?? true)
        try reader.rejectUnknownKeys()
        return mirror
    }

    /// `[github]`: the API, the repository and the tokens' sources.
    static func readGitHub(_ reader: TableReader) throws(ConfigError) -> GitHubSettings {
        var settings = GitHubSettings()
        if let api = try reader.string("api") {
            try requireHTTP(api, reader: reader, key: "api")
            settings.apiBaseURL = api.hasSuffix("/") ? String(api.dropLast()) : api
        }
        if let repo = try reader.string("repo") {
            let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                throw .invalid(file: reader.file, key: reader.name("repo"), reason: "must be owner/name, got \"\(Redactor.url(repo))\"")
            }
            settings.repository = repo
        }
        settings.token = try secret(reader, "token") ?? settings.token
        if let approver = try secret(reader, "approver_token") {
            settings.approverToken = approver
            settings.approverTokenIsExplicit = true
        }
        try reader.rejectUnknownKeys()
        return settings
    }

    /// `[upstream]`: how PRs are labelled, checked, merged and re-checked.
    static func readUpstream(_ reader: TableReader?) throws(ConfigError) -> UpstreamSettings {
        guard let reader else { return UpstreamSettings() }
        var settings = UpstreamSettings()
        settings.label = try reader.string("label") ?? settings.label
        settings.bugzillaURL = try reader.string("bugzilla_url") ?? settings.bugzillaURL
        settings.statusContext = try reader.string("status_context") ?? settings.statusContext
        settings.requiredChecks = try reader.strings("required_checks") ?? settings.requiredChecks
        settings.mergeWithoutChecks = try reader.bool("merge_without_checks") ?? settings.mergeWithoutChecks
        if let policy = try reader.string("on_conflict") {
            guard let known = ConflictPolicy(rawValue: policy) else {
                throw .invalid(file: reader.file, key: reader.name("on_conflict"),
                               reason: "must be one of \(ConflictPolicy.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(policy))\"")
            }
            settings.onConflict = known
        }
        if let method = try reader.string("merge_method") {
            guard UpstreamSettings.mergeMethods.contains(method) else {
                throw .invalid(file: reader.file, key: reader.name("merge_method"),
                               reason: "must be one of \(UpstreamSettings.mergeMethods.joined(separator: ", ")), got \"\(Redactor.url(method))\"")
            }
            settings.mergeMethod = method
        }
        settings.recheckSeconds = try reader.number("recheck_seconds", in: Ranges.periodSeconds, unit: "seconds") ?? settings.recheckSeconds
        try reader.rejectUnknownKeys()
        return settings
    }
}
