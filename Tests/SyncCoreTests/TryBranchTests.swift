import SyncCore
import Testing

/// Which branch downstream's git try pushes move: the one the hook and autoland watch.
@Suite("Config: the git try branch")
struct TryBranchTests {
    func config(tryRepository: String, entry: (path: String, kind: GeckoKind, branch: String?)?) -> Config {
        var config = Config(store: StoreSettings(path: "/j.sqlite"))
        if let entry {
            var repository = GeckoRepository(name: "try", path: entry.path, role: .try)
            repository.kind = entry.kind
            repository.branch = entry.branch
            config.gecko = [repository]
        }
        config.downstream = DownstreamSettings(tryRepository: tryRepository, clone: "/clone", bugzillaURL: "http://127.0.0.1:9/rest",
                                               taskclusterURL: "http://127.0.0.1:9")
        return config
    }

    @Test func theTryEntryAtTheTryRepositoryNamesTheBranchElseItIsTry() {
        #expect(config(tryRepository: "/try.git", entry: ("/try.git", .git, "refs/heads/wpt-try")).tryBranch == "refs/heads/wpt-try")
        #expect(config(tryRepository: "file:///try.git", entry: ("/try.git", .git, "refs/heads/wpt-try")).tryBranch == "refs/heads/wpt-try")
        #expect(config(tryRepository: "/other.git", entry: ("/try.git", .git, "refs/heads/wpt-try")).tryBranch == "refs/heads/try")
        #expect(config(tryRepository: "ssh://git@example.org/try", entry: nil).tryBranch == "refs/heads/try")
    }
}
