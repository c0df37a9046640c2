import HookIntake
import SyncCore
import Testing
import WPTSyncKit

/// `[downstream] reconcile_seconds`: how often the PR reconciliation runs (default 300; 0 turns it off).
@Suite("Reconciliation settings")
struct ReconcileConfigTests {
    func parse(_ extra: String, github: Bool = true) throws(ConfigError) -> Config {
        try ConfigLoader.parse("""
            \(github ? "[github]\nrepo = \"web-platform-tests/wpt\"\n" : "")
            [downstream]
            bugzilla_url = "https://bugzilla.example/rest"
            taskcluster_url = "https://tc.example"
            try_repository = "/srv/try"
            \(extra)
            """, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    func periodic(_ config: Config) -> [String] { PeriodicTaskNames.configured(config).map(\.name) }

    @Test func itRunsEveryFiveMinutesByDefaultAndZeroTurnsItOff() throws {
        let defaults = try parse("")
        #expect(defaults.downstream?.reconcileSeconds == 300)
        #expect(periodic(defaults).contains(PeriodicTaskNames.pullRequestReconciliation))
        let off = try parse("reconcile_seconds = 0")
        #expect(off.downstream?.reconcileSeconds == 0 && !periodic(off).contains(PeriodicTaskNames.pullRequestReconciliation))
        #expect(try !periodic(parse("", github: false)).contains(PeriodicTaskNames.pullRequestReconciliation), "no [github] to list PRs from")
        #expect(try parse("reconcile_seconds = 60").downstream?.reconcileSeconds == 60)
    }

    @Test func aNegativeIntervalIsRefusedByName() {
        #expect(throws: ConfigError.self) { try parse("reconcile_seconds = -1") }
        do { _ = try parse("reconcile_seconds = -1") } catch {
            #expect(error.description.contains("`downstream.reconcile_seconds` must be from 0 to 86400 seconds, got -1"), "\(error)")
        }
    }
}
