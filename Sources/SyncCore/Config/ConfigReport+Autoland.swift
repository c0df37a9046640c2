extension ConfigReport {
    /// `[autoland]`, when configured: where requests come from, the trees, who may land, how runs are read.
    static func autoland(_ config: Config) -> String? {
        guard let autoland = config.autoland else { return nil }
        let tries = config.gecko.filter { $0.role == .try }.map(\.name).joined(separator: ", ")
        let access: String = switch autoland.access {
        case .groupsFile(let path): "groups file \(path)"
        case .ldap(let ldap):
            "LDAP \(Redactor.url(ldap.url)) below \(ldap.baseDN)" + (ldap.bindDN.map { " bound as \($0)" } ?? " (anonymous)")
                + (ldap.password.map { " with the password from \($0)" } ?? "")
        }
        let runs = autoland.treeherderURL.map { "runs read from Treeherder \(Redactor.url($0)), retriggered on Taskcluster \(Redactor.url(autoland.taskclusterURL ?? ""))" }
            ?? "runs not watched (no treeherder_url)"
        let ignored = autoland.ignoredJobs.isEmpty ? "" : ", ignoring \(autoland.ignoredJobs.joined(separator: ", "))"
        let notes = autoland.treeherderAccessToken.flatMap { access in
            autoland.treeherderIDToken.map { "jobs that fail again get a Treeherder note, signed in with the tokens from \(access) and \($0)" }
        } ?? "no Treeherder notes (no treeherder_access_token_* and treeherder_id_token_*)"
        return "autoland: requests from \(tries) land on \(autoland.trees.joined(separator: ", ")) (default \(autoland.defaultTree)); "
            + "level 3 from \(access); \(runs); failed jobs of tier ≤ \(autoland.maxTier) run \(autoland.maxRetriggers) more time(s)\(ignored); "
            + (autoland.treeherderURL == nil ? "" : "\(notes); ")
            + "waiting requests looked at every \(seconds(autoland.pollSeconds)); up to \(autoland.maxPushAttempts) push attempts per landing, "
            + "failing pushes (unreachable, a lock) tried again for \(seconds(autoland.pushFailureSeconds)) before the sheriffs are asked, "
            + (autoland.treestatusURL.map { "deferred while Treestatus \(Redactor.url($0))/<tree> says closed" } ?? "trees taken as open (no treestatus_url)")
            + "; " + (autoland.bugzillaURL.map { "decisions commented on Bugzilla \(Redactor.url($0))" } ?? "decisions not commented (no bugzilla_url)")
            + "; sheriffs: group \(autoland.sheriffGroup)"
            + (autoland.isBatching ? "; approved\(autoland.batchPassed ? " and passed" : "") requests land together every \(seconds(autoland.batchSeconds))" : "")
    }
}
