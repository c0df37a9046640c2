import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// The try repository must be of mozilla-central's kind: a try commit built in a git clone of
/// central cannot go to a Mercurial try, nor the reverse.
@Suite("Try workspace: of central's kind")
struct TryWorkspaceKindTests {
    @Test(arguments: GeckoKind.allCases)
    func aTryRepositoryOfTheOtherKindIsRefusedNamingBoth(central kind: GeckoKind) throws {
        let dir = TempDir("try-kind")
        let central = dir.sub(kind == .git ? "central.git" : "central"), tryRepository = dir.sub("try")
        if kind == .git {
            _ = try sh("git", ["init", "-q", "--bare", "-b", "main", central])
            _ = try sh("hg", ["init", tryRepository])
        } else {
            _ = try sh("hg", ["init", central])
            _ = try sh("git", ["init", "-q", "--bare", tryRepository])
        }
        var repository = GeckoRepository(name: "mozilla-central", path: central, role: .central)
        repository.kind = kind
        repository.branch = kind == .git ? "refs/heads/main" : nil
        let settings = DownstreamSettings(tryRepository: tryRepository, clone: dir.sub("clone"), bugzillaURL: "http://127.0.0.1:9/rest",
                                          taskclusterURL: "http://127.0.0.1:9")
        let other = kind == .git ? "Mercurial" : "git"
        #expect { _ = try DownstreamRunner.tryWorkspace(settings, central: repository) } throws: {
            "\($0)" == "downstreaming is not configured: [downstream] try_repository \(tryRepository) is a \(other) repository,"
                + " but mozilla-central (\(central)) is \(kind.name): try must be of central's kind"
        }
        #expect(!FileManager.default.fileExists(atPath: dir.sub("clone")), "nothing made")
    }
}

/// A git Gecko repository with no branch (made in code: the configuration requires one) is
/// refused naming it, rather than opened as a Mercurial clone of a git path.
@Suite("Gecko workspace: a git repository needs its branch")
struct GeckoWorkspaceBranchTests {
    @Test func aGitRepositoryWithNoBranchIsRefusedNamingIt() throws {
        let dir = TempDir("no-branch")
        let central = dir.sub("central.git")
        _ = try sh("git", ["init", "-q", "--bare", "-b", "main", central])
        var repository = GeckoRepository(name: "mozilla-central", path: central, role: .central)
        repository.kind = .git
        let settings = DownstreamSettings(tryRepository: dir.sub("try.git"), clone: dir.sub("clone"), bugzillaURL: "http://127.0.0.1:9/rest",
                                          taskclusterURL: "http://127.0.0.1:9")
        #expect { _ = try DownstreamRunner.tryWorkspace(settings, central: repository) } throws: {
            "\($0)" == "[[gecko]] \"mozilla-central\" (\(central)) is a git repository with no branch: its clone needs the branch to fetch and push"
        }
        #expect(!FileManager.default.fileExists(atPath: dir.sub("clone")), "nothing made")
    }
}
