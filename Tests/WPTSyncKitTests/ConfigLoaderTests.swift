import HookIntake
import SyncCore
import Testing

@Suite("Configuration file")
struct ConfigLoaderTests {
    func parse(_ text: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(text, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    @Test func readsEveryKeyAndResolvesRelativePaths() throws {
        let config = try parse("""
            [store]
            path = "state/journal.sqlite"
            busy_timeout_ms = 100

            [paths]
            wpt = "testing/web-platform/tests/"
            meta = "testing/web-platform/meta"

            [[gecko]]
            name = "autoland"
            path = "/repos/autoland"
            role = "integration"
            url = "https://hg.mozilla.org/integration/autoland"
            sources = ["push", "serve"]

            [[gecko]]
            name = "mozilla-central"
            path = "../central"
            role = "central"
            enabled = false

            [wpt]
            path = "wpt.git"
            refs = ["refs/heads/master", "refs/pull/*/head"]
            upstream_push_url = "https://github.com/web-platform-tests/wpt.git"

            [github]
            api = "http://127.0.0.1:8080/"
            repo = "web-platform-tests/wpt"
            token_file = "/run/secrets/github"
            approver_token_env = "APPROVER"

            [worker]
            max_attempts = 3
            lease_seconds = 120
            poll_seconds = 0.5
            backoff_base_seconds = 10
            backoff_max_seconds = 600

            [log]
            file = "log/worker.jsonl"
            level = "debug"
            """)
        #expect(config.store == StoreSettings(path: "/srv/wptsync/state/journal.sqlite", busyTimeoutMilliseconds: 100))
        #expect(config.store.spool == "/srv/wptsync/state/journal.sqlite.spool")
        #expect(config.paths == PathPrefixes(wpt: "testing/web-platform/tests", meta: "testing/web-platform/meta"))
        #expect(config.gecko == [
            GeckoRepository(name: "autoland", path: "/repos/autoland", role: .integration,
                            url: "https://hg.mozilla.org/integration/autoland", sources: ["push", "serve"]),
            GeckoRepository(name: "mozilla-central", path: "/srv/central", role: .central, enabled: false),
        ])
        #expect(config.wpt == WPTMirror(path: "/srv/wptsync/wpt.git", refs: ["refs/heads/master", "refs/pull/*/head"],
                                        upstreamPushURL: "https://github.com/web-platform-tests/wpt.git"))
        #expect(config.github == GitHubSettings(apiBaseURL: "http://127.0.0.1:8080", repository: "web-platform-tests/wpt",
                                                token: .file("/run/secrets/github"), approverToken: .environment("APPROVER"),
                                                approverTokenIsExplicit: true))
        #expect(config.worker == WorkerSettings(maxAttempts: 3, leaseSeconds: 120, pollSeconds: 0.5, backoff: Backoff(baseSeconds: 10, maxSeconds: 600)))
        #expect(config.log == LogSettings(file: "/srv/wptsync/log/worker.jsonl", level: "debug"))
    }

    @Test func anEmptyFileGivesTheDefaults() throws {
        let config = try parse("")
        #expect(config.store.path == "/srv/wptsync/wptsync.sqlite")
        #expect(config.paths == PathPrefixes())
        #expect(config.gecko.isEmpty && config.wpt == nil && config.github == nil)
        #expect(config.worker == WorkerSettings())
        #expect(config.upstream.onConflict == .wait)
    }

    @Test func theApproverTokenDefaultsToTheDocumentedVariable() throws {
        let github = try #require(try parse("[github]\n").github)
        #expect(github.approverToken == .environment("WPTSYNC_APPROVER_TOKEN") && !github.approverTokenIsExplicit)
        #expect(try parse("[upstream]\non_conflict = \"open-from-sync-point\"").upstream.onConflict == .openFromSyncPoint)
    }

    /// A hook runs in its repository's folder: a relative secret file must not depend on it.
    @Test func aRelativeSecretFileIsTakenFromTheConfigurationsFolder() throws {
        let config = try parse("[github]\ntoken_file = \"secrets/github\"\n[serve]\nsecret_file = \"../webhook\"\n")
        #expect(config.github?.token == .file("/srv/wptsync/secrets/github"))
        #expect(config.serve.secret == .file("/srv/webhook"))
    }

    @Test(arguments: [
        ("[[gecko]]\nname = \"a\"\nrole = \"central\"", "/etc/wptsync.toml: missing required key `gecko[0].path`"),
        ("[[gecko]]\nname = \"a\"\npath = \"/x\"\nrole = \"beta\"", "/etc/wptsync.toml: `gecko[0].role` must be one of integration, central, try, got \"beta\""),
        ("[[gecko]]\nname = \"a\"\npath = 3\nrole = \"central\"", "/etc/wptsync.toml: `gecko[0].path` must be a string"),
        ("[[gecko]]\nname = \"a b\"\npath = \"/x\"\nrole = \"central\"", "/etc/wptsync.toml: `gecko[0].name` may hold only letters, digits, - and _"),
        ("[[gecko]]\nname = \"a\"\npath = \"/x\"\nrole = \"central\"\nsources = [\"psuh\"]", "/etc/wptsync.toml: `gecko[0].sources` has unknown source \"psuh\" (known: push, serve, pull, unbundle, strip, bundle, push-response)"),
        ("[[gecko]]\nname = \"a\"\npath = \"/x\"\nrole = \"central\"\n[[gecko]]\nname = \"a\"\npath = \"/y\"\nrole = \"central\"", "/etc/wptsync.toml: `gecko[1].name` repeats the name \"a\""),
        ("[[gecko]]\nname = \"wpt\"\npath = \"/x\"\nrole = \"central\"", "/etc/wptsync.toml: `gecko[0].name` \"wpt\" is the wpt mirror's name in the journal; choose another"),
        ("[[gecko]]\nname = \"a\"\npath = \"/x\"\nrole = \"central\"\nurl = \"ftp://x\"", "/etc/wptsync.toml: `gecko[0].url` must be an http or https URL, got \"ftp://x\""),
        // Values are echoed without a URL's userinfo or secret query values: the error may reach a pusher.
        ("[[gecko]]\nname = \"a\"\npath = \"/x\"\nrole = \"central\"\nurl = \"htps://bot:pw-1234@hg.example/x\"", "/etc/wptsync.toml: `gecko[0].url` must be an http or https URL, got \"htps://<redacted>@hg.example/x\""),
        ("[github]\napi = \"ftp://api.example/?access_token=tok-1234\"", "/etc/wptsync.toml: `github.api` must be an http or https URL, got \"ftp://api.example/?access_token=<redacted>\""),
        ("[github]\nrepo = \"https://bot:pw-1234@github.com/o/r\"", "/etc/wptsync.toml: `github.repo` must be owner/name, got \"https://<redacted>@github.com/o/r\""),
        ("[store]\npth = \"x\"", "/etc/wptsync.toml: unknown key `store.pth` (misspelt?)"),
        ("[stroe]\npath = \"x\"", "/etc/wptsync.toml: unknown key `stroe` (misspelt?)"),
        ("[store]\nbusy_timeout_ms = 0", "/etc/wptsync.toml: `store.busy_timeout_ms` must be a whole number from 1 to 60000, got 0"),
        ("[store]\nbusy_timeout_ms = 2.5", "/etc/wptsync.toml: `store.busy_timeout_ms` must be a whole number from 1 to 60000, got 2.5"),
        ("[worker]\nmax_attempts = 1.5", "/etc/wptsync.toml: `worker.max_attempts` must be a whole number from 1 to 1000, got 1.5"),
        ("[worker]\nmax_attempts = 1001", "/etc/wptsync.toml: `worker.max_attempts` must be a whole number from 1 to 1000, got 1001"),
        ("[worker]\nmax_attempts = \"3\"", "/etc/wptsync.toml: `worker.max_attempts` must be an integer"),
        ("[worker]\nlease_seconds = 0.5", "/etc/wptsync.toml: `worker.lease_seconds` must be from 1 to 86400 seconds, got 0.5"),
        ("[worker]\npoll_seconds = inf", "/etc/wptsync.toml: `worker.poll_seconds` must be from 0.001 to 3600 seconds, got inf"),
        ("[worker]\npoll_seconds = nan", "/etc/wptsync.toml: `worker.poll_seconds` must be from 0.001 to 3600 seconds, got nan"),
        ("[worker]\nbackoff_max_seconds = 1e9", "/etc/wptsync.toml: `worker.backoff_max_seconds` must be from 0.001 to 604800 seconds, got 1e+09"),
        ("[upstream]\nrecheck_seconds = 0", "/etc/wptsync.toml: `upstream.recheck_seconds` must be from 0.001 to 86400 seconds, got 0"),
        ("[paths]\nwpt = \"../tests\"", "/etc/wptsync.toml: `paths.wpt` must be a relative path inside the repository, got \"../tests\""),
        ("[wpt]\npath = \"w\"\nrefs = [\"master\"]", "/etc/wptsync.toml: `wpt.refs` has an invalid ref pattern \"master\" (full names like refs/heads/master; * matches one component)"),
        ("[github]\nrepo = \"wpt\"", "/etc/wptsync.toml: `github.repo` must be owner/name, got \"wpt\""),
        ("[github]\ntoken_env = \"A\"\ntoken_file = \"/b\"", "/etc/wptsync.toml: `github.token_env` and `github.token_file` are both set; choose one"),
        ("[worker]\npoll_seconds = -1", "/etc/wptsync.toml: `worker.poll_seconds` must be from 0.001 to 3600 seconds, got -1"),
        ("[log]\nlevel = \"loud\"", "/etc/wptsync.toml: `log.level` must be one of trace, debug, info, notice, warning, error, critical, got \"loud\""),
        ("gecko = 1", "/etc/wptsync.toml: `gecko` must be an array of tables ([[gecko]])"),
        ("[store]\npath = \"\"", "/etc/wptsync.toml: `store.path` must not be empty"),
        ("[store]\nspool = \"\"", "/etc/wptsync.toml: `store.spool` must not be empty"),
        ("[github]\ntoken_env = \"\"", "/etc/wptsync.toml: `github.token_env` must not be empty"),
        ("[github]\napprover_token_file = \"\"", "/etc/wptsync.toml: `github.approver_token_file` must not be empty"),
        ("[log]\nfile = \"\"", "/etc/wptsync.toml: `log.file` must not be empty"),
        ("[worker]\nbackoff_base_seconds = 60\nbackoff_max_seconds = 30", "/etc/wptsync.toml: `worker.backoff_max_seconds` (30) is below `worker.backoff_base_seconds` (60)"),
        ("[worker]\nbackoff_max_seconds = 10", "/etc/wptsync.toml: `worker.backoff_max_seconds` (10) is below `worker.backoff_base_seconds` (30)"),
        ("[store]\npath = \"a.sqlite\"\n\u{0}[stroe]", "/etc/wptsync.toml:3:1: holds a NUL byte; a configuration file is text"),
        ("\u{0}", "/etc/wptsync.toml:1:1: holds a NUL byte; a configuration file is text"),
        ("[store]\nurl = \"postgresql://sync:s3cret@db:5432/wptsync\"",
         "/etc/wptsync.toml: `store.url` holds a password: put it in WPTSYNC_STORE_PASSWORD or `store.password_file` instead"),
        ("[store]\nurl = \"postgresql://sync@db:5432/wptsync?password=s3cret\"",
         "/etc/wptsync.toml: `store.url` holds a password (`password=`): put it in WPTSYNC_STORE_PASSWORD or `store.password_file` instead"),
        ("[store]\nurl = \"postgresql://sync@db/wptsync?sslmode=verify-full&ssl%70assword=s3cret\"",
         "/etc/wptsync.toml: `store.url` holds a password (`sslpassword=`): put it in WPTSYNC_STORE_PASSWORD or `store.password_file` instead"),
        ("[store]\nurl = \"mysql://db/wptsync\"", "/etc/wptsync.toml: `store.url` is \"mysql://db/wptsync\": expected postgresql://user@host:port/database"),
        ("[store]\nurl = \"postgresql://sync@db:5432\"",
         "/etc/wptsync.toml: `store.url` is \"postgresql://sync@db:5432\": it must name the host and the database (postgresql://user@host:port/database)"),
        ("[store]\npassword_file = \"pw\"", "/etc/wptsync.toml: `store.password_file` is set without `store.url`"),
        ("[store]\nurl = \"postgresql://db/w\"\nconnect_timeout_s = 1", "/etc/wptsync.toml: `store.connect_timeout_s` must be a whole number from 2 to 60, got 1"),
        ("[upstream]\non_conflict = \"retry\"", "/etc/wptsync.toml: `upstream.on_conflict` must be one of wait, open-from-sync-point, got \"retry\""),
        ("[wpt]\npath = \"w\"\nfork_owner = \"a b\"", "/etc/wptsync.toml: `wpt.fork_owner` must be a GitHub account name (letters, digits and -), got \"a b\""),
    ])
    func errorsNameTheKeyAndTheProblem(text: String, message: String) {
        #expect { try parse(text) } throws: { ($0 as? ConfigError)?.description == message }
    }

    @Test func aForkWithoutFetchURLIsAProblemForTheCommandsOnly() throws {
        let fork = try parse("[github]\n[wpt]\npath = \"w\"\nupstream_push_url = \"git@github.com:someone/wpt.git\"")
        #expect(ConfigLoader.commandProblems(in: fork, file: "/etc/wptsync.toml").map(\.description) == [
            "/etc/wptsync.toml: `wpt.fetch_url` is required when `wpt.upstream_push_url` is a fork (owned by someone):"
                + " branches are built on upstream's master, which a fork does not keep up to date",
        ])
        let fetched = try parse("[github]\n[wpt]\npath = \"w\"\nupstream_push_url = \"git@github.com:someone/wpt.git\"\nfetch_url = \"https://github.com/web-platform-tests/wpt.git\"")
        #expect(ConfigLoader.commandProblems(in: fetched, file: "/etc/wptsync.toml").isEmpty)
        let odd = try parse("[github]\n[wpt]\npath = \"w\"\nupstream_push_url = \"git@github.com:some_one/wpt.git\"")
        #expect(odd.pullRequestHeadOwner == nil, "an owner GitHub cannot have is not taken from the URL")
    }

    @Test func aStoreURLSelectsPostgreSQLWithThePasswordFromTheEnvironmentOrAFile() throws {
        #expect(try parse("[store]\npath = \"j.sqlite\"").store.postgres == nil)
        let plain = try #require(try parse("[store]\nurl = \"postgresql://sync@db.internal:5432/wptsync?sslmode=verify-full\"").store.postgres)
        #expect(plain.url == "postgresql://sync@db.internal:5432/wptsync?sslmode=verify-full")
        #expect(plain.password == .environment("WPTSYNC_STORE_PASSWORD") && plain.connectTimeoutSeconds == 2 && plain.statementTimeoutMilliseconds == 2000
                && plain.workerStatementTimeoutMilliseconds == 60_000)
        let filed = try #require(try parse("[store]\nurl = \"postgres://sync@db/w\"\npassword_file = \"secrets/pg\"\nconnect_timeout_s = 5\nstatement_timeout_ms = 500\nworker_statement_timeout_ms = 9000").store.postgres)
        #expect(filed.password == .file("/srv/wptsync/secrets/pg") && filed.connectTimeoutSeconds == 5 && filed.statementTimeoutMilliseconds == 500
                && filed.workerStatementTimeoutMilliseconds == 9000)
        #expect(throws: ConfigError.self) { try parse("[store]\nworker_statement_timeout_ms = 9000") }
    }

    @Test func secondsTakeFractions() throws {
        let config = try parse("[worker]\npoll_seconds = 0.5\nlease_seconds = 1.5\nbackoff_base_seconds = 0.25\nbackoff_max_seconds = 2\n"
                               + "[upstream]\nrecheck_seconds = 0.75\n")
        #expect(config.worker.pollSeconds == 0.5 && config.worker.leaseSeconds == 1.5)
        #expect(config.worker.backoff == Backoff(baseSeconds: 0.25, maxSeconds: 2) && config.upstream.recheckSeconds == 0.75)
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        #expect { try parse("[store]\npath = \"unterminated\n") } throws: { error in
            guard case let .syntax(file, line, _, _) = error as? ConfigError else { return false }
            return file == "/etc/wptsync.toml" && line == 2
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect { try ConfigLoader.load(file: "/nonexistent/wptsync.toml") } throws: { error in
            guard case .unreadable(let file, _) = error as? ConfigError else { return false }
            return file == "/nonexistent/wptsync.toml"
        }
    }
}
