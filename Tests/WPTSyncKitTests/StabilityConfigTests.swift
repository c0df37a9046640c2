import HookIntake
import SyncCore
import Testing
import WPTSyncKit

/// `[downstream] rebuild`, `unstable`, `triage` and `triage_default`: the stability run and who
/// triages what it disables.
@Suite("Stability settings")
struct StabilityConfigTests {
    func parse(_ extra: String) throws(ConfigError) -> DownstreamSettings? {
        try ConfigLoader.parse("""
            [downstream]
            bugzilla_url = "https://bugzilla.example/rest"
            taskcluster_url = "https://tc.example"
            try_repository = "/srv/try"
            \(extra)
            """, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync").downstream
    }

    @Test func byDefaultTenRebuildsDisableUnstableTestsAndNobodyIsAsked() throws {
        let settings = try #require(try parse(""))
        #expect(settings.rebuild == 10 && settings.unstable == .disable)
        #expect(settings.planner.triageContact(for: BugComponent(product: "Core", component: "DOM")) == nil)
    }

    @Test func theKeysAreRead() throws {
        let settings = try #require(try parse("""
            rebuild = 5
            unstable = "intermittent"
            triage_default = "wpt@example.org"

            [downstream.triage]
            "Core :: DOM" = "dom@example.org"
            """))
        #expect(settings.rebuild == 5 && settings.unstable == .intermittent)
        #expect(settings.planner.rebuild == 5)
        #expect(settings.planner.triageContact(for: BugComponent(product: "Core", component: "DOM")) == "dom@example.org")
        #expect(settings.planner.triageContact(for: .webPlatformTests) == "wpt@example.org")
        #expect(try parse(#"triage = { "Core :: DOM" = "dom@example.org" }"#)?.triage == ["Core :: DOM": "dom@example.org"])
        #expect(try parse("rebuild = 0")?.rebuild == nil, "0: no stability run")
    }

    @Test(arguments: [
        ("rebuild = 1", "`downstream.rebuild` must be 0 (no stability run) or from 2 to 20, got 1"),
        ("rebuild = 21", "`downstream.rebuild` must be a whole number from 0 to 20, got 21"),
        (#"unstable = "skip""#, #"`downstream.unstable` is "skip"; expected "disable" or "intermittent""#),
        (#"triage = { "DOM" = "dom@example.org" }"#, #"`downstream.triage.DOM` is not a bug component: expected "Product :: Component""#),
        (#"triage = { "Core :: DOM" = 3 }"#, "`downstream.triage.Core :: DOM`"),
        (#"triage_default = """#, "`downstream.triage_default` must not be empty"),
    ])
    func badValuesAreRefusedByName(_ entry: String, _ message: String) {
        do {
            _ = try parse(entry)
            Issue.record("\(entry) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
