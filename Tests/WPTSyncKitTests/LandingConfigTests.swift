import HookIntake
import SyncCore
import Testing
import WPTSyncKit

@Suite("Configuration: [landing]")
struct LandingConfigTests {
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


        """

    func parse(_ text: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(Self.repositories + text, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    @Test func defaultsAndEveryKey() throws {
        let minimal = try #require(try parse("[landing]\nrepository = \"autoland\"\nbug = 7\n").landing)
        #expect(minimal == LandingSettings(repository: "autoland", bug: 7, clone: "/srv/wptsync/state/landing-autoland"))
        #expect(minimal.exclude == ["resources/testdriver_vendor.js"] && minimal.treestatusURL == nil && minimal.command == nil)

        let full = try #require(try parse("""
            [landing]
            repository = "autoland"
            bug = 7
            clone = "clones/autoland"
            push_url = "ssh://hg.mozilla.org/integration/autoland"
            user = "bot <bot@example.com>"
            exclude = ["resources/testdriver_vendor.js", "tools/"]
            treestatus_url = "https://treestatus.mozilla-releng.net/trees/autoland"
            command = ["./mach", "wpt-manifest-update"]
            command_timeout_seconds = 600
            max_push_attempts = 5
            retry_seconds = 60
            enabled = false
            wait_for_metadata = true
            metadata_wait_seconds = 7200
            """).landing)
        #expect(full.clone == "/srv/wptsync/clones/autoland" && full.pushURL == "ssh://hg.mozilla.org/integration/autoland")
        #expect(full.command == ["./mach", "wpt-manifest-update"] && full.maxPushAttempts == 5)
        #expect(full.exclude == ["resources/testdriver_vendor.js", "tools"])
        #expect(full.commandTimeoutSeconds == 600 && minimal.commandTimeoutSeconds == 1800)
        #expect(full.retrySeconds == 60 && !full.enabled && full.user == "bot <bot@example.com>")
        #expect(full.waitForMetadata && full.metadataWaitSeconds == 7200)
        #expect(!minimal.waitForMetadata && minimal.metadataWaitSeconds == 14_400)
    }

    @Test func waitingForMetadataWithoutDownstreamingIsWarnedAbout() throws {
        let config = try parse("[landing]\nrepository = \"autoland\"\nbug = 7\nwait_for_metadata = true\n")
        let warning = "warning: [landing] wait_for_metadata is on but no [downstream] computes metadata: landings never wait"
        #expect(ConfigCheck.warnings(in: config, file: "/etc/wptsync.toml").contains(warning))
        let off = try parse("[landing]\nrepository = \"autoland\"\nbug = 7\n")
        #expect(!ConfigCheck.warnings(in: off, file: "/etc/wptsync.toml").contains(warning))
    }

    @Test(arguments: [
        ("[landing]\nbug = 7", "/etc/wptsync.toml: missing required key `landing.repository`"),
        ("[landing]\nrepository = \"inbound\"\nbug = 7", "/etc/wptsync.toml: `landing.repository` names no [[gecko]] repository (\"inbound\")"),
        ("[landing]\nrepository = \"central\"\nbug = 7", "/etc/wptsync.toml: `landing.repository` must name an integration repository, \"central\" is central"),
        ("[landing]\nrepository = \"autoland\"", "/etc/wptsync.toml: `landing.bug` is required: the bug number landing commits name"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\nexclude = [\"../x\"]", "/etc/wptsync.toml: `landing.exclude` must hold paths relative to the wpt root, got \"../x\""),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\ntreestatus_url = \"ftp://x\"", "/etc/wptsync.toml: `landing.treestatus_url` must be an http or https URL, got \"ftp://x\""),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\ncommand = []", "/etc/wptsync.toml: `landing.command` must not be empty"),
        ("[landing]\nrepository = \"autoland\"\nbug = 0", "/etc/wptsync.toml: `landing.bug` must be a whole number from 1 to 2147483647, got 0"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\nmax_push_attempts = 2.5", "/etc/wptsync.toml: `landing.max_push_attempts` must be a whole number from 1 to 100, got 2.5"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\nretry_seconds = -5", "/etc/wptsync.toml: `landing.retry_seconds` must be from 0.001 to 86400 seconds, got -5"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\nwait_for_metadata = \"yes\"", "/etc/wptsync.toml: `landing.wait_for_metadata` must be true or false"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\nmetadata_wait_seconds = 0", "/etc/wptsync.toml: `landing.metadata_wait_seconds` must be from 0.001 to 86400 seconds, got 0"),
        ("[landing]\nrepository = \"autoland\"\nbug = 7\ncolour = 1", "/etc/wptsync.toml: unknown key `landing.colour` (misspelt?)"),
    ])
    func errorsNameTheKey(text: String, message: String) {
        #expect { try parse(text) } throws: { ($0 as? ConfigError)?.description == message }
    }
}
