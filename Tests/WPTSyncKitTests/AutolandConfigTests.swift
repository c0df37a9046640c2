import Foundation
import HookIntake
import SyncCore
import Testing
import WPTSyncKit

@Suite("Configuration: [autoland]")
struct AutolandConfigTests {
    static let repositories = """
        [store]
        path = "state/wptsync.sqlite"

        [[gecko]]
        name = "autoland"
        path = "/repos/autoland"
        role = "integration"

        [[gecko]]
        name = "central"
        path = "/repos/central"
        role = "central"

        [[gecko]]
        name = "try"
        path = "/repos/try"
        role = "try"


        """

    func parse(_ text: String, repositories: String = Self.repositories) throws(ConfigError) -> Config {
        try ConfigLoader.parse(repositories + text, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    @Test func aGitTryRepositorysBranchIsTryUnlessNamed() throws {
        let git = Self.repositories.replacingOccurrences(of: "role = \"try\"\n", with: "role = \"try\"\nkind = \"git\"\n")
        #expect(try parse("[autoland]\n", repositories: git).geckoRepository(named: "try")?.branch == "refs/heads/try")
        let named = git.replacingOccurrences(of: "kind = \"git\"\n", with: "kind = \"git\"\nbranch = \"pushes\"\n")
        #expect(try parse("[autoland]\n", repositories: named).geckoRepository(named: "try")?.branch == "refs/heads/pushes")
        let integration = git.replacingOccurrences(of: "role = \"integration\"\n", with: "role = \"integration\"\nkind = \"git\"\n")
        #expect(throws: ConfigError.self, "an integration repository still names its branch") { try parse("[autoland]\n", repositories: integration) }
    }

    @Test func defaultsAndEveryKey() throws {
        let config = try parse("[autoland]\n")
        #expect(config.geckoRepository(named: "try")?.role == .try)
        var expected = AutolandSettings(defaultTree: "autoland", trees: ["autoland"], maxRetriggers: 1, maxTier: 2)
        expected.access = .groupsFile("/srv/wptsync/autoland-groups")
        #expect(config.autoland == expected)
        #expect(try parse("").autoland == nil)
        let full = try parse("""
            [autoland]
            default_tree = "autoland"
            trees = ["autoland"]
            max_retriggers = 2
            max_tier = 3
            ignored_jobs = ["lint-*", "test-linux1804-64-ccov/*"]
            poll_seconds = 30

            [autoland.ldap]
            url = "ldap://127.0.0.1:3890/"
            base_dn = "dc=mozilla"
            bind_dn = "cn=wptsync,dc=mozilla"
            password_env = "WPTSYNC_LDAP_PASSWORD"
            user_attribute = "uid"
            member_attribute = "memberUid"
            group_class = "posixGroup"
            timeout_seconds = 3
            """).autoland
        var all = AutolandSettings(defaultTree: "autoland", trees: ["autoland"], maxRetriggers: 2, maxTier: 3,
                                   ignoredJobs: ["lint-*", "test-linux1804-64-ccov/*"])
        all.pollSeconds = 30
        all.access = .ldap(LDAPSettings(url: "ldap://127.0.0.1:3890/", baseDN: "dc=mozilla", bindDN: "cn=wptsync,dc=mozilla",
                                        password: .environment("WPTSYNC_LDAP_PASSWORD"), userAttribute: "uid", timeoutSeconds: 3))
        #expect(full == all)
        let report = ConfigReport.lines(try parse("""
            [autoland]
            treeherder_url = "https://treeherder.mozilla.org"
            taskcluster_url = "https://firefox-ci-tc.services.mozilla.com"

            [autoland.ldap]
            url = "ldaps://ldap.mozilla.org/"
            base_dn = "dc=mozilla"
            bind_dn = "cn=wptsync,dc=mozilla"
            password_file = "/etc/wptsync/ldap-password"
            """))
        let ldapReport: String = "autoland: requests from try land on autoland (default autoland); level 3 from LDAP ldaps://ldap.mozilla.org/ below dc=mozilla"
            + " bound as cn=wptsync,dc=mozilla with the password from file /etc/wptsync/ldap-password; runs read from Treeherder https://treeherder.mozilla.org,"
            + " retriggered on Taskcluster https://firefox-ci-tc.services.mozilla.com; failed jobs of tier ≤ 2 run 1 more time(s);"
            + " no Treeherder notes (no treeherder_access_token_* and treeherder_id_token_*); waiting requests looked at every 60 s"
            + "; up to 3 push attempts per landing, failing pushes (unreachable, a lock) tried again for 1800 s before the sheriffs are asked,"
            + " trees taken as open (no treestatus_url); decisions not commented (no bugzilla_url); sheriffs: group sheriffs"
        #expect(report.contains(ldapReport),
                "\(report)")
        #expect(try parse("[autoland]\ngroups_file = \"/etc/wptsync/groups\"").autoland?.access == .groupsFile("/etc/wptsync/groups"))
        let landing = try #require(try parse("""
            [autoland]
            clone_dir = "clones"
            treestatus_url = "https://treestatus.example/trees"
            bugzilla_url = "https://bugzilla.example/rest"
            bugzilla_api_key_env = "WPTSYNC_BUGZILLA_KEY"
            max_push_attempts = 5
            push_failure_seconds = 600
            sheriff_group = "scm_sheriff"
            """).autoland)
        #expect(landing.cloneDir == "/srv/wptsync/clones" && landing.treestatusURL == "https://treestatus.example/trees")
        #expect(landing.bugzillaURL == "https://bugzilla.example/rest" && landing.bugzillaKey == .environment("WPTSYNC_BUGZILLA_KEY"))
        #expect(landing.maxPushAttempts == 5 && landing.pushFailureSeconds == 600 && landing.sheriffGroup == "scm_sheriff")
        #expect(expected.maxPushAttempts == 3 && expected.pushFailureSeconds == 1800 && expected.sheriffGroup == "sheriffs" && expected.treestatusURL == nil && expected.bugzillaURL == nil)
    }

    @Test(arguments: [
        ("[autoland]\ntrees = [\"central\"]", "`autoland.trees` names \"central\", which is no [[gecko]] repository with role integration"),
        ("[autoland]\ntrees = []", "`autoland.trees` is empty: autoland needs an integration repository to land on"),
        ("[autoland]\ndefault_tree = \"inbound\"", "`autoland.default_tree` must be one of the trees (autoland), got \"inbound\""),
        ("[autoland]\nmax_retriggers = 9", "`autoland.max_retriggers`"),
        ("[autoland]\nmax_tier = 0", "`autoland.max_tier`"),
        ("[autoland]\nignored_jobs = [\"\"]", "`autoland.ignored_jobs` holds an empty name"),
        ("[autoland]\nland = true", "autoland.land"),
        ("[autoland]\ntreestatus_url = \"ftp://x/trees\"", "`autoland.treestatus_url`"),
        ("[autoland]\nmax_push_attempts = 0", "`autoland.max_push_attempts`"),
        ("[autoland]\nbatch_seconds = -1", "`autoland.batch_seconds`"),
        ("[autoland]\npush_failure_seconds = 604801", "`autoland.push_failure_seconds`"),
        ("[autoland]\nbatch = true", "`autoland.batch` needs `autoland.batch_seconds` above 0"),
        ("[autoland]\ngroups_file = \"g\"\n[autoland.ldap]\nurl = \"ldap://x/\"\nbase_dn = \"dc=x\"", "`autoland.groups_file` and [autoland.ldap] are both set; choose one"),
        ("[autoland.ldap]\nurl = \"http://x/\"\nbase_dn = \"dc=x\"", "`autoland.ldap.url` must be an ldap:// or ldaps:// URL"),
        ("[autoland.ldap]\nurl = \"ldap://x/\"\nbase_dn = \"dc=x\"\npassword_env = \"P\"", "`autoland.ldap.bind_dn` is required when a password is given"),
        ("[autoland.ldap]\nurl = \"ldap://x/\"\nbase_dn = \"dc=x\"\nuser_attribute = \"mail)(x\"", "`autoland.ldap.user_attribute` must be an attribute or class name"),
    ])
    func refusals(text: String, message: String) {
        #expect {
            try parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func checkConfigWarnsOfATreeherderIdTokenThatExpiredOrExpiresWithinTheHour() throws {
        let config = try parse("[autoland]\ntreeherder_url = \"https://treeherder.mozilla.org\"\ntaskcluster_url = \"https://tc.example\"\n"
                               + "treeherder_access_token_env = \"TH_ACCESS\"\ntreeherder_id_token_env = \"TH_ID\"\n")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func warning(expiringIn seconds: Int) -> String? {
            let token = JSONWebToken.make(header: #"{"alg":"RS256"}"#, claims: "{\"exp\": \(1_800_000_000 + seconds)}", signature: "s")
            return ConfigCheck.treeherderWarning(for: config, environment: ["TH_ACCESS": "a", "TH_ID": token], now: now)
        }
        #expect(warning(expiringIn: 86_400) == nil)
        #expect(warning(expiringIn: 600)?.contains("expires at 2027-01-15T08:10:00Z: Treeherder refuses the sign-in") == true, "\(warning(expiringIn: 600) ?? "")")
        #expect(warning(expiringIn: -1)?.contains("expired at 2027-01-15T07:59:59Z") == true, "\(warning(expiringIn: -1) ?? "")")
    }

    @Test func treeherderTokensComeInPairsFromTheEnvironmentOrAFileNamedFromTheConfigsFolder() throws {
        let urls = "[autoland]\ntreeherder_url = \"https://treeherder.mozilla.org\"\ntaskcluster_url = \"https://tc.example\"\n"
        let config = try parse(urls + "treeherder_access_token_env = \"TH_ACCESS\"\ntreeherder_id_token_file = \"secrets/th-id\"\n")
        #expect(config.autoland?.treeherderAccessToken == .environment("TH_ACCESS"))
        #expect(config.autoland?.treeherderIDToken == .file("/srv/wptsync/secrets/th-id"))
        #expect(ConfigReport.lines(config).contains { $0.contains("; jobs that fail again get a Treeherder note, signed in with the tokens from"
                                                                 + " environment variable TH_ACCESS and file /srv/wptsync/secrets/th-id; ") })
        #expect(ConfigReport.lines(try parse(urls)).contains { $0.contains("; no Treeherder notes (no treeherder_access_token_* and treeherder_id_token_*); ") })
        #expect(try parse(urls).autoland?.treeherderAccessToken == nil)
        #expect(throws: ConfigError.invalid(file: "/etc/wptsync.toml", key: "autoland.treeherder_id_token_env",
                                            reason: "(or `autoland.treeherder_id_token_file`) is required with `autoland.treeherder_access_token_…`: Treeherder's sign-in takes both tokens")) {
            try parse(urls + "treeherder_access_token_env = \"TH_ACCESS\"\n")
        }
        #expect(throws: ConfigError.invalid(file: "/etc/wptsync.toml", key: "autoland.treeherder_url",
                                            reason: "is required with the Treeherder tokens: they sign in there")) {
            try parse("[autoland]\ntreeherder_access_token_env = \"A\"\ntreeherder_id_token_env = \"B\"\n")
        }
        #expect(throws: ConfigError.self) { try parse(urls + "treeherder_access_token_env = \"A\"\ntreeherder_access_token_file = \"a\"\ntreeherder_id_token_env = \"B\"\n") }
    }

    @Test func batchesAreOffUnlessASecondsIntervalIsGiven() throws {
        let off = try #require(try parse("[autoland]\n").autoland)
        #expect(!off.isBatching && !off.batchPassed)
        let sheriffs = try #require(try parse("[autoland]\nbatch_seconds = 3600\n").autoland)
        #expect(sheriffs.isBatching && sheriffs.batchSeconds == 3600 && !sheriffs.batchPassed)
        let allConfig = try parse("[autoland]\nbatch_seconds = 600\nbatch = true\n")
        let all = try #require(allConfig.autoland)
        #expect(all.batchSeconds == 600 && all.batchPassed)
        #expect(PeriodicTaskNames.configured(allConfig).contains { $0.name == PeriodicTaskNames.autolandBatch && $0.interval == 600 })
        #expect(try !PeriodicTaskNames.configured(parse("[autoland]\n")).contains { $0.name == PeriodicTaskNames.autolandBatch })
        #expect(ConfigReport.lines(allConfig).contains { $0.contains("; approved and passed requests land together every 600 s") },
                "\(ConfigReport.lines(allConfig))")
    }

    @Test func needsATryRepositoryAndADefaultAmongSeveralTrees() throws {
        let noTry = Self.repositories.replacingOccurrences(of: "role = \"try\"", with: "role = \"central\"")
        #expect(throws: ConfigError.invalid(file: "/etc/wptsync.toml", key: "autoland.default_tree",
                                            reason: "[autoland] needs a [[gecko]] repository with role \"try\"")) {
            try parse("[autoland]\n", repositories: noTry)
        }
        let two = Self.repositories + "[[gecko]]\nname = \"inbound\"\npath = \"/repos/inbound\"\nrole = \"integration\"\n\n"
        #expect(throws: ConfigError.invalid(file: "/etc/wptsync.toml", key: "autoland.default_tree",
                                            reason: "is required when there are several trees (autoland, inbound)")) {
            try parse("[autoland]\n", repositories: two)
        }
        #expect(try parse("[autoland]\ndefault_tree = \"inbound\"\n", repositories: two).autoland?.trees == ["autoland", "inbound"])
    }
}
