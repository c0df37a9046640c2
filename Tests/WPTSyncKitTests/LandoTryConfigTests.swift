import HookIntake
import SyncCore
import Testing

@Suite("Configuration: [downstream] try_push and Lando")
struct LandoTryConfigTests {
    /// Central of `centralKind`, autoland in git landing through Lando, and `[downstream]` with `downstream`.
    func parse(_ downstream: String, centralKind: String = "git") throws(ConfigError) -> Config {
        try ConfigLoader.parse("""
            [store]
            path = "state/wptsync.sqlite"

            [[gecko]]
            name = "autoland"
            path = "/repos/firefox.git"
            role = "integration"
            kind = "git"
            branch = "autoland"

            [[gecko]]
            name = "central"
            path = "/repos/central"
            role = "central"
            kind = "\(centralKind)"
            \(centralKind == "git" ? "branch = \"main\"" : "")

            [landing]
            repository = "autoland"
            bug = 7
            lando_url = "https://lando.example"
            lando_repo = "firefox-autoland"
            lando_token_file = "/etc/wptsync/lando-token"

            [downstream]
            bugzilla_url = "https://bugzilla.example/rest"
            taskcluster_url = "https://tc.example"
            try_repository = "/repos/try"
            \(downstream)

            """, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    @Test func directIsTheDefaultAndLandoTakesLandingsLandoUnlessGivenItsOwn() throws {
        let direct = try #require(try parse("").downstream)
        #expect(direct.tryPush == .direct && direct.lando == nil)
        let lando = try #require(try parse("try_push = \"lando\"").downstream)
        #expect(lando.tryPush == .lando)
        #expect(lando.lando == LandoSettings(url: "https://lando.example", repository: "try", token: .file("/etc/wptsync/lando-token"),
                                             pollSeconds: 10, waitSeconds: 600))
        let own = try #require(try parse("""
            try_push = "lando"
            lando_url = "https://lando-try.example"
            lando_repo = "try-git"
            lando_token_env = "TRY_TOKEN"
            lando_wait_seconds = 60
            """).downstream)
        #expect(own.lando == LandoSettings(url: "https://lando-try.example", repository: "try-git", token: .environment("TRY_TOKEN"),
                                           pollSeconds: 10, waitSeconds: 60))
    }

    @Test func landingsTokenGoesOnlyToLandingsLando() throws {
        // Another Lando gets the downstream's own token, or the default variable: never [landing]'s file.
        let other = try #require(try parse("try_push = \"lando\"\nlando_url = \"https://lando-try.example\"").downstream)
        #expect(other.lando?.token == LandoSettings.defaultToken)
        let same = try #require(try parse("try_push = \"lando\"\nlando_url = \"https://lando.example\"").downstream)
        #expect(same.lando?.token == .file("/etc/wptsync/lando-token"))
    }

    @Test func badValuesAreNamed() {
        func message(_ downstream: String, centralKind: String = "git") -> String {
            do { _ = try parse(downstream, centralKind: centralKind); return "accepted" } catch { return "\(error)" }
        }
        #expect(message("try_push = \"mail\"").contains("downstream.try_push"))
        #expect(message("lando_repo = \"try\"").contains("is only used with try_push = \"lando\""))
        #expect(message("try_push = \"lando\"", centralKind: "hg").contains("needs a git mozilla-central"))
    }
}
