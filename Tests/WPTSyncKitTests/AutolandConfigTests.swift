import HookIntake
import SyncCore
import Testing

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

    @Test func defaultsAndEveryKey() throws {
        let config = try parse("[autoland]\n")
        #expect(config.geckoRepository(named: "try")?.role == .try)
        #expect(config.autoland == AutolandSettings(defaultTree: "autoland", trees: ["autoland"], maxRetriggers: 1, maxTier: 2))
        #expect(try parse("").autoland == nil)
        let full = try parse("""
            [autoland]
            default_tree = "autoland"
            trees = ["autoland"]
            max_retriggers = 2
            max_tier = 3
            ignored_jobs = ["lint-*", "test-linux1804-64-ccov/*"]
            """).autoland
        #expect(full == AutolandSettings(defaultTree: "autoland", trees: ["autoland"], maxRetriggers: 2, maxTier: 3,
                                         ignoredJobs: ["lint-*", "test-linux1804-64-ccov/*"]))
    }

    @Test(arguments: [
        ("[autoland]\ntrees = [\"central\"]", "`autoland.trees` names \"central\", which is no [[gecko]] repository with role integration"),
        ("[autoland]\ntrees = []", "`autoland.trees` is empty: autoland needs an integration repository to land on"),
        ("[autoland]\ndefault_tree = \"inbound\"", "`autoland.default_tree` must be one of the trees (autoland), got \"inbound\""),
        ("[autoland]\nmax_retriggers = 9", "`autoland.max_retriggers`"),
        ("[autoland]\nmax_tier = 0", "`autoland.max_tier`"),
        ("[autoland]\nignored_jobs = [\"\"]", "`autoland.ignored_jobs` holds an empty name"),
        ("[autoland]\nland = true", "autoland.land"),
    ])
    func refusals(text: String, message: String) {
        #expect {
            try parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
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
