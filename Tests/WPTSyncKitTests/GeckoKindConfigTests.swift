import HookIntake
import SyncCore
import Testing

@Suite("Configuration: [[gecko]] kind and branch")
struct GeckoKindConfigTests {
    func parse(_ gecko: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse("[store]\npath = \"state/wptsync.sqlite\"\n\n" + gecko, file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
    }

    func entry(_ name: String, _ path: String, _ role: String, _ extra: String = "") -> String {
        "[[gecko]]\nname = \"\(name)\"\npath = \"\(path)\"\nrole = \"\(role)\"\n\(extra)\n"
    }

    @Test func mercurialIsTheDefaultAndGitNamesItsBranch() throws {
        let config = try parse(entry("autoland", "/repos/autoland", "integration")
                               + entry("central", "/repos/firefox.git", "central", "kind = \"git\"\nbranch = \"main\"")
                               + entry("beta", "/repos/beta.git", "integration", "kind = \"git\"\nbranch = \"refs/heads/beta\""))
        #expect(config.geckoRepository(named: "autoland")?.kind == .hg && config.geckoRepository(named: "autoland")?.branch == nil)
        #expect(config.geckoRepository(named: "central")?.kind == .git && config.geckoRepository(named: "central")?.branch == "refs/heads/main")
        #expect(config.geckoRepository(named: "beta")?.branch == "refs/heads/beta")
        #expect(ConfigReport.lines(config).contains(
            "gecko central (central, git branch refs/heads/main): /repos/firefox.git; hook records updates of the branch"))
        #expect(ConfigReport.lines(config).contains(
            "gecko autoland (integration): /repos/autoland; hook records pushes from sources push,serve,unbundle,pull"))
    }

    @Test(arguments: [
        ("kind = \"svn\"", "`gecko[0].kind` must be one of hg, git, got \"svn\""),
        ("kind = \"git\"", "missing required key `gecko[0].branch`"),
        ("branch = \"main\"", "`gecko[0].branch` is only for kind = \"git\"; a Mercurial repository is its own branch"),
        ("kind = \"git\"\nbranch = \"refs/tags/v1\"",
         "`gecko[0].branch` must be a branch name such as \"autoland\" or \"refs/heads/autoland\", got \"refs/tags/v1\""),
        ("kind = \"git\"\nbranch = \"a..b\"", "`gecko[0].branch` must be a branch name such as \"autoland\" or \"refs/heads/autoland\", got \"a..b\""),
    ])
    func badKindsAndBranchesAreNamed(extra: String, message: String) {
        #expect { try parse(entry("autoland", "/repos/autoland", "integration", extra)) } throws: { error in
            "\(error)" == "/etc/wptsync.toml: " + message
        }
    }

    @Test func twoRolesOnOneGitRepositoryAreRefused() {
        let text = entry("autoland", "/repos/firefox.git", "integration", "kind = \"git\"\nbranch = \"autoland\"")
            + entry("central", "/repos/firefox.git", "central", "kind = \"git\"\nbranch = \"main\"")
        #expect { try parse(text) } throws: { error in
            "\(error)".hasPrefix("/etc/wptsync.toml: `gecko[1].path` is also the path of [[gecko]] \"autoland\"")
        }
    }
}
