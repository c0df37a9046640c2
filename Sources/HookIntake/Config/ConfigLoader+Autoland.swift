import Foundation
import SyncCore

extension ConfigLoader {
    /// `[autoland]`: needs a `[[gecko]]` repository with role try and names integration repositories as trees.
    static func readAutoland(_ reader: TableReader?, gecko: [GeckoRepository], resolve: (String) -> String) throws(ConfigError) -> AutolandSettings? {
        guard let reader else { return nil }
        guard gecko.contains(where: { $0.role == .try }) else {
            throw .invalid(file: reader.file, key: reader.name("default_tree"), reason: "[autoland] needs a [[gecko]] repository with role \"try\"")
        }
        let integration = gecko.filter { $0.role == .integration }.map(\.name)
        let trees = try reader.strings("trees") ?? integration
        for tree in trees where !integration.contains(tree) {
            throw .invalid(file: reader.file, key: reader.name("trees"),
                           reason: "names \"\(Redactor.url(tree))\", which is no [[gecko]] repository with role integration")
        }
        guard !trees.isEmpty else {
            throw .invalid(file: reader.file, key: reader.name("trees"), reason: "is empty: autoland needs an integration repository to land on")
        }
        let defaultTree: String
        if let named = try reader.string("default_tree") {
            guard trees.contains(named) else {
                throw .invalid(file: reader.file, key: reader.name("default_tree"),
                               reason: "must be one of the trees (\(trees.joined(separator: ", "))), got \"\(Redactor.url(named))\"")
            }
            defaultTree = named
        } else if trees.count == 1 {
            defaultTree = trees[0]
        } else {
            throw .invalid(file: reader.file, key: reader.name("default_tree"), reason: "is required when there are several trees (\(trees.joined(separator: ", ")))")
        }
        var settings = AutolandSettings(defaultTree: defaultTree, trees: trees)
        settings.maxRetriggers = try reader.integer("max_retriggers", in: AutolandSettings.retriggerRange) ?? settings.maxRetriggers
        settings.maxTier = try reader.integer("max_tier", in: AutolandSettings.tierRange) ?? settings.maxTier
        if let ignored = try reader.strings("ignored_jobs") {
            if ignored.contains(where: \.isEmpty) {
                throw .invalid(file: reader.file, key: reader.name("ignored_jobs"), reason: "holds an empty name")
            }
            settings.ignoredJobs = ignored
        }
        settings.pollSeconds = try reader.number("poll_seconds", in: Ranges.periodSeconds, unit: "seconds") ?? settings.pollSeconds
        for (key, target) in [("treeherder_url", \AutolandSettings.treeherderURL), ("taskcluster_url", \.taskclusterURL)] {
            guard let url = try reader.string(key) else { continue }
            try requireHTTP(url, reader: reader, key: key)
            settings[keyPath: target] = url
        }
        if (settings.treeherderURL == nil) != (settings.taskclusterURL == nil) {
            throw .invalid(file: reader.file, key: reader.name(settings.treeherderURL == nil ? "treeherder_url" : "taskcluster_url"),
                           reason: "is required with `\(reader.name(settings.treeherderURL == nil ? "taskcluster_url" : "treeherder_url"))`: runs are watched in Treeherder and retriggered in Taskcluster")
        }
        settings.taskclusterToken = try secret(reader, "taskcluster_token")
        settings.treeherderAccessToken = try secret(reader, "treeherder_access_token")
        settings.treeherderIDToken = try secret(reader, "treeherder_id_token")
        if (settings.treeherderAccessToken == nil) != (settings.treeherderIDToken == nil) {
            let (missing, given) = settings.treeherderAccessToken == nil ? ("treeherder_access_token", "treeherder_id_token") : ("treeherder_id_token", "treeherder_access_token")
            throw .invalid(file: reader.file, key: reader.name("\(missing)_env"),
                           reason: "(or `\(reader.name("\(missing)_file"))`) is required with `\(reader.name(given))_…`: Treeherder's sign-in takes both tokens")
        }
        if settings.treeherderAccessToken != nil, settings.treeherderURL == nil {
            throw .invalid(file: reader.file, key: reader.name("treeherder_url"), reason: "is required with the Treeherder tokens: they sign in there")
        }
        for (key, target) in [("treestatus_url", \AutolandSettings.treestatusURL), ("bugzilla_url", \.bugzillaURL)] {
            guard let url = try reader.string(key) else { continue }
            try requireHTTP(url, reader: reader, key: key)
            settings[keyPath: target] = url
        }
        settings.bugzillaKey = try secret(reader, "bugzilla_api_key")
        settings.cloneDir = try reader.nonEmptyString("clone_dir").map(resolve)
        settings.sheriffGroup = try reader.nonEmptyString("sheriff_group") ?? settings.sheriffGroup
        settings.maxPushAttempts = try reader.integer("max_push_attempts", in: Ranges.maxPushAttempts) ?? settings.maxPushAttempts
        settings.pushFailureSeconds = try reader.number("push_failure_seconds", in: Ranges.pushFailureSeconds, unit: "seconds")
            ?? settings.pushFailureSeconds
        settings.batchSeconds = try reader.number("batch_seconds", in: Ranges.batchSeconds, unit: "seconds") ?? settings.batchSeconds
        settings.batchPassed = try reader.bool("batch") ?? settings.batchPassed
        if settings.batchPassed, !settings.isBatching {
            throw .invalid(file: reader.file, key: reader.name("batch"), reason: "needs `\(reader.name("batch_seconds"))` above 0: without batches there is nothing to wait for")
        }
        settings.access = .groupsFile(resolve(try reader.nonEmptyString("groups_file") ?? "autoland-groups"))
        if let ldap = try reader.table("ldap") {
            guard try reader.string("groups_file") == nil else {
                throw .invalid(file: reader.file, key: reader.name("groups_file"), reason: "and [autoland.ldap] are both set; choose one")
            }
            settings.access = .ldap(try readLDAP(ldap))
        }
        try reader.rejectUnknownKeys()
        return settings
    }

    private static func readLDAP(_ reader: TableReader) throws(ConfigError) -> LDAPSettings {
        let url = try reader.requiredString("url")
        guard url.hasPrefix("ldap://") || url.hasPrefix("ldaps://") else {
            throw .invalid(file: reader.file, key: reader.name("url"), reason: "must be an ldap:// or ldaps:// URL, got \"\(Redactor.url(url))\"")
        }
        var settings = LDAPSettings(url: url, baseDN: try reader.requiredString("base_dn"), bindDN: try reader.nonEmptyString("bind_dn"),
                                    password: try secret(reader, "password"))
        if settings.password != nil, settings.bindDN == nil {
            throw .invalid(file: reader.file, key: reader.name("bind_dn"), reason: "is required when a password is given")
        }
        for (key, target) in [("user_attribute", \LDAPSettings.userAttribute), ("member_attribute", \.memberAttribute), ("group_class", \.groupClass)] {
            guard let value = try reader.string(key) else { continue }
            guard !value.isEmpty, value.utf8.allSatisfy({ isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") }) else {
                throw .invalid(file: reader.file, key: reader.name(key), reason: "must be an attribute or class name (letters, digits and -), got \"\(Redactor.url(value))\"")
            }
            settings[keyPath: target] = value
        }
        settings.timeoutSeconds = try reader.integer("timeout_seconds", in: 1...300) ?? settings.timeoutSeconds
        try reader.rejectUnknownKeys()
        return settings
    }
}
