import HookIntake
import SyncCore
import Testing

@Suite("Configuration: [landing] push and Lando")
struct LandoConfigTests {
    /// autoland in git (branch `autoland`), central in Mercurial.
    func parse(_ landing: String, autolandKind: String = "kind = \"git\"\nbranch = \"autoland\"") throws(ConfigError) -> Config {
        try ConfigLoader.parse("""
            [store]
            path = "state/wptsync.sqlite"

            [[gecko]]
            name = "autoland"
            path = "/repos/firefox.git"
            role = "integration"
            \(autolandKind)

            [landing]
            repository = "autoland"
            bug = 7
            \(landing)

            """, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    @Test func directIsTheDefaultAndLandoUrlMeansLando() throws {
        let direct = try #require(try parse("").landing)
        #expect(direct.push == .direct && direct.lando == nil)
        let lando = try #require(try parse("lando_url = \"https://lando.example\"\nlando_repo = \"firefox-autoland\"").landing)
        #expect(lando.push == .lando)
        #expect(lando.lando == LandoSettings(url: "https://lando.example", repository: "firefox-autoland",
                                             token: .environment("LANDO_HEADLESS_API_TOKEN"), pollSeconds: 10, waitSeconds: 600))
        let full = try #require(try parse("""
            push = "lando"
            lando_url = "https://lando.example"
            lando_repo = "firefox-autoland"
            lando_token_file = "/etc/wptsync/lando-token"
            lando_poll_seconds = 2
            lando_wait_seconds = 60
            """).landing?.lando)
        #expect(full == LandoSettings(url: "https://lando.example", repository: "firefox-autoland", token: .file("/etc/wptsync/lando-token"),
                                      pollSeconds: 2, waitSeconds: 60))
        #expect(ConfigReport.lines(try parse("lando_url = \"https://lando.example\"\nlando_repo = \"firefox-autoland\"")).contains {
            $0.hasPrefix("landing: into autoland (built from /repos/firefox.git, submitted to Lando https://lando.example repository firefox-autoland with the token from environment variable LANDO_HEADLESS_API_TOKEN)")
        })
    }

    @Test(arguments: [
        ("push = \"ftp\"", "`landing.push` must be one of direct, lando, got \"ftp\""),
        ("push = \"lando\"\nlando_repo = \"firefox-autoland\"", "missing required key `landing.lando_url`"),
        ("lando_url = \"https://lando.example\"", "missing required key `landing.lando_repo`"),
        ("push = \"direct\"\nlando_repo = \"firefox-autoland\"", "`landing.lando_repo` is only used with push = \"lando\""),
        ("lando_url = \"https://lando.example\"\nlando_repo = \"r\"\nlando_token_env = \"A\"\nlando_token_file = \"/b\"",
         "`landing.lando_token_env` and `landing.lando_token_file` are both set; choose one"),
        ("command = [\"./mach\", \"wpt-manifest-update\"]", "`landing.command` is not supported yet when the integration repository is git (\"autoland\")"),
    ])
    func badKeysAreNamed(landing: String, message: String) {
        #expect { try parse(landing) } throws: { error in "\(error)" == "/etc/wptsync.toml: " + message }
    }

    @Test func landoNeedsAGitIntegrationRepository() {
        #expect { try parse("lando_url = \"https://lando.example\"\nlando_repo = \"firefox-autoland\"", autolandKind: "") } throws: { error in
            "\(error)" == "/etc/wptsync.toml: `landing.push` \"lando\" needs a git integration repository (Lando's automation API takes git only); \"autoland\" is hg"
        }
    }
}
