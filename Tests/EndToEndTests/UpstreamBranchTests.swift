import Foundation
import LocalServices
import Remote
import Testing
import TestSupport

/// How a sync's branch changes upstream: appended to, not rebuilt; a person's commits kept.
@Suite("Upstream branches", .serialized)
struct UpstreamBranchTests {
    private let wpt = "testing/web-platform/tests/"

    @Test func aSecondChangesetIsAppendedKeepingTheFirstCommitAndItsApproval() throws {
        let u = try UpstreamWorld()
        try u.editConfig("token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
                         "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_APPROVER_TOKEN\"")
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 40 - Add a. r=x")
        try u.process()
        let first = try #require(u.github.pullRequests.first?.headSHA)
        #expect(u.github.pullRequests.first?.approvedBy == ["wpt-sync-approver"])

        // Upstream master moves on before the second changeset arrives.
        try u.pushToUpstreamMaster(file: "other.html", contents: "other\n")
        let second = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 40 - Add b. r=x")
        try u.process()

        let pr = try #require(u.github.pullRequests.first)
        #expect(u.github.pullRequests.count == 1 && pr.isOpen)
        #expect(try u.git(["rev-parse", "gecko/40^"]) == first + "\n", "the first commit is kept, the second is on top of it")
        #expect(try u.git(["log", "-1", "--format=%B", "gecko/40"]).contains("gecko-commit: \(second)"))
        #expect(try u.git(["ls-tree", "--name-only", "gecko/40"]) == "README.md\na.html\nb.html\n")
        // The approval of the first commit still stands (it is in the PR); the new head is approved too.
        #expect(pr.approvedBy == ["wpt-sync-approver", "wpt-sync-approver"])
        #expect(try u.world.wptsync(["show", "upstream", "40"]).contains("built on"))
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(u.world.wptsync(["show", "upstream", "40", "--json"]).utf8)) as? [String: Any])
        #expect(shown["branch"] as? String == "gecko/40" && shown["pull_request"] as? Int == pr.number, "\(shown)")
        #expect(shown["head"] as? String == (try u.git(["rev-parse", "gecko/40"]).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func aPersonsFixOnTheBranchSurvivesTheNextAppendAndIsMerged() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko([wpt + "a.html": "a, broken\n"], message: "Bug 41 - Add a. r=x")
        try u.process()
        let fixed = try u.personCommits(on: "gecko/41", file: "a.html", contents: "a, fixed upstream\n", message: "Fix a.html")

        try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 41 - Add b. r=x")
        try u.process()
        #expect(try u.git(["rev-parse", "gecko/41^"]) == fixed + "\n", "the second changeset is appended onto the person's commit")
        #expect(try u.git(["show", "gecko/41:a.html"]) == "a, fixed upstream\n")
        #expect(try u.git(["show", "gecko/41:b.html"]) == "b\n")

        // Landing marks and merges the branch as it is, the person's commit included.
        let head = try #require(u.github.pullRequests.first?.headSHA)
        u.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .success)
        try u.world.gecko.hg(["push", "-q", u.world.central])
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.git(["show", "master:a.html"]) == "a, fixed upstream\n")
    }

    @Test func aRebuildThatWouldDropAPersonsCommitWaitsForAPerson() throws {
        let u = try UpstreamWorld()
        try u.world.landInGecko([wpt + "a.html": "a\n"], message: "Bug 42 - Add a. r=x")
        let b = try u.world.landInGecko([wpt + "b.html": "b\n"], message: "Bug 42 - Add b. r=x")
        try u.process()
        let fixed = try u.personCommits(on: "gecko/42", file: "a.html", contents: "a, fixed\n", message: "Fix a.html")

        // A partial backout needs a rebuild without b, which would drop the person's commit.
        try u.world.gecko.hg(["backout", "-r", b, "-m", "Backed out changeset \(b.prefix(12)) (bug 42) for bustage", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        try u.process()
        #expect(try u.git(["rev-parse", "gecko/42"]) == fixed + "\n", "the branch is left as the person made it")
        let listed = try u.world.wptsync(["list"])
        #expect(listed.contains("needs-fixup") && listed.contains("holds 1 commit(s) wptsync did not write (\(fixed.prefix(12)))"), "\(listed)")
        #expect(listed.contains("`wptsync continue upstream 1`"))
    }
}

extension UpstreamWorld {
    /// Replaces `old` with `new` in the configuration file.
    func editConfig(_ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: world.config, encoding: .utf8)
        #expect(text.contains(old))
        try writeFile(world.config, text.replacingOccurrences(of: old, with: new))
    }

    /// Makes wptsync push its branches to a fork (`fork.git`, owned by its account) and fetch
    /// master from upstream; returns the fork's path.
    func pushToFork() throws -> String {
        let fork = world.dir.sub("fork.git")
        try github.addFork(owner: "wpt-sync-bot", repositoryPath: fork)
        try editConfig("upstream_push_url = \"\(upstream)\"",
                       "upstream_push_url = \"\(fork)\"\nfetch_url = \"\(upstream)\"\nfork_owner = \"wpt-sync-bot\"")
        return fork
    }

    /// Turns on `on_conflict = "open-from-sync-point"`, records upstream master as Gecko's sync
    /// point, then changes master's README: a Gecko change to the README conflicts with master but
    /// applies at the sync point, which is returned.
    func moveMasterPastTheSyncPoint() throws -> String {
        try editConfig("recheck_seconds = 0.001", "recheck_seconds = 0.001\non_conflict = \"open-from-sync-point\"")
        let syncPoint = try masterSHA()
        try world.landInGecko(["testing/web-platform/meta/mozilla-sync": "local: 0\nupstream: \(syncPoint)\n"],
                              message: "Bug 1 - [wpt-sync] Update web-platform-tests to \(syncPoint), a=testonly")
        try pushToUpstreamMaster(file: "README.md", contents: "wpt, changed upstream\n")
        return syncPoint
    }

    /// A person's commit on upstream master.
    func pushToUpstreamMaster(file: String, contents: String) throws {
        let clone = world.dir.sub("person-master")
        if FileManager.default.fileExists(atPath: clone) {
            try sh("git", ["pull", "-q", "origin", "master"], in: clone)
        } else {
            try sh("git", ["clone", "-q", upstream, clone])
        }
        try writeFile("\(clone)/\(file)", contents)
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["-c", "user.name=A Person", "-c", "user.email=person@example.com", "commit", "-q", "-m", "Upstream change"], in: clone)
        try sh("git", ["push", "-q", "origin", "master"], in: clone)
    }

    /// A person's commit on top of `branch` upstream, pushed; returns its id.
    @discardableResult
    func personCommits(on branch: String, file: String, contents: String, message: String, in repository: String? = nil) throws -> String {
        let clone = world.dir.sub("person-\(UUID().uuidString.prefix(8))")
        try sh("git", ["clone", "-q", "-b", branch, repository ?? upstream, clone])
        try writeFile("\(clone)/\(file)", contents)
        try sh("git", ["-c", "user.name=A Person", "-c", "user.email=person@example.com", "commit", "-q", "-am", message], in: clone)
        try sh("git", ["push", "-q", "origin", branch], in: clone)
        return try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `on_conflict = "open-from-sync-point"`: a change that conflicts with master is opened from the
/// revision Gecko is synced to, fixed on GitHub, and the fixed branch is what lands.
@Suite("Upstream conflicts opened from the sync point", .serialized)
struct UpstreamSyncPointTests {
    private let wpt = "testing/web-platform/tests/"

    @Test func aConflictingChangeIsOpenedFromTheSyncPointAndTheFixedBranchIsKept() throws {
        let u = try UpstreamWorld()
        let syncPoint = try u.moveMasterPastTheSyncPoint()

        try u.world.landInGecko([wpt + "README.md": "wpt, changed in Gecko\n"], message: "Bug 30 - Edit the README. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        #expect(u.github.pullRequests.count == 1 && pr.isOpen && pr.headRef == "gecko/30")
        #expect(try u.git(["rev-parse", "gecko/30^"]) == syncPoint + "\n", "built on the sync point, not on master")
        #expect(pr.body?.contains("opened from \(syncPoint), the upstream revision Gecko is synced to") == true)
        #expect(pr.body?.contains("conflict with master") == true)
        let listed = try u.world.wptsync(["list"])
        #expect(listed.contains("sync 1 gecko/30 open PR #1") && listed.contains("opened from the sync point"), "\(listed)")

        // A person resolves the conflict on GitHub by rebasing the branch onto master.
        let clone = u.world.dir.sub("person-fix")
        try sh("git", ["clone", "-q", "-b", "gecko/30", u.upstream, clone])
        let person = ["-c", "user.name=A Person", "-c", "user.email=person@example.com"]
        _ = try? sh("git", person + ["rebase", "-q", "origin/master"], in: clone)
        try writeFile(clone + "/README.md", "wpt, changed upstream and in Gecko\n")
        try sh("git", ["add", "README.md"], in: clone)
        try sh("git", person + ["-c", "core.editor=true", "rebase", "--continue"], in: clone)
        try sh("git", ["push", "-q", "-f", "origin", "gecko/30"], in: clone)
        let fixed = try sh("git", ["rev-parse", "HEAD"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)

        // The next changeset of the bug goes on top of the fixed commit, and that branch is merged.
        try u.world.landInGecko([wpt + "more.html": "more\n"], message: "Bug 30 - More. r=x")
        try u.process()
        #expect(try u.git(["rev-parse", "gecko/30^"]) == fixed + "\n")
        let head = try #require(u.github.pullRequests.first?.headSHA)
        u.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .success)
        try u.world.gecko.hg(["push", "-q", u.world.central])
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.git(["show", "master:README.md"]) == "wpt, changed upstream and in Gecko\n")
        #expect(try u.git(["show", "master:more.html"]) == "more\n")
    }

    @Test func withoutASyncPointTheConflictWaitsAsBefore() throws {
        let u = try UpstreamWorld()
        try u.editConfig("recheck_seconds = 0.001", "recheck_seconds = 0.001\non_conflict = \"open-from-sync-point\"")
        try u.pushToUpstreamMaster(file: "README.md", contents: "wpt, changed upstream\n")
        try u.world.landInGecko([wpt + "README.md": "wpt, changed in Gecko\n"], message: "Bug 31 - Edit the README. r=x")
        try u.process()
        #expect(u.github.pullRequests.isEmpty)
        #expect(try u.world.wptsync(["list"]).contains("needs-fixup"))
    }
}

/// `wpt.upstream_push_url` on a fork: branches go there, PRs are `owner:branch` into upstream.
@Suite("Upstreaming from a fork", .serialized)
struct UpstreamForkTests {
    @Test func aForkPushURLOpensThePullRequestFromTheForkAndMergesIt() throws {
        let u = try UpstreamWorld()
        let fork = try u.pushToFork()
        #expect(try u.world.wptsync(["check-config"]).contains("ok"))

        try u.world.landInGecko(["testing/web-platform/tests/f.html": "f\n"], message: "Bug 50 - Add f. r=x")
        let output = try u.process()
        #expect(output.contains("processed 1 event(s), 0 failed"), "\(output)")
        let pr = try #require(u.github.pullRequests.first)
        #expect(pr.headLabel == "wpt-sync-bot:gecko/50" && pr.isOpen)
        #expect(try sh("git", ["--git-dir", fork, "show", "gecko/50:f.html"]) == "f\n")
        #expect(try u.git(["branch", "--list", "gecko/50"]).isEmpty, "nothing is pushed to upstream itself")

        let head = try #require(pr.headSHA)
        u.github.setCheckRun(sha: head, name: "wpt-chrome-stable", .success)
        try u.world.gecko.hg(["push", "-q", u.world.central])
        try u.process()
        #expect(u.github.pullRequests.first?.isMerged == true)
        #expect(try u.git(["show", "master:f.html"]) == "f\n")
        #expect(try sh("git", ["--git-dir", fork, "branch", "--list", "gecko/50"]).isEmpty, "the fork's branch is deleted")
    }

    /// `wptsync revert upstream` builds the revert on upstream's master, not on the fork's older one.
    @Test func aRevertFromAForkIsBuiltOnUpstreamsMaster() throws {
        let u = try UpstreamWorld()
        let fork = try u.pushToFork()
        let change = try u.world.landInGecko(["testing/web-platform/tests/f.html": "f\n"], message: "Bug 51 - Add f. r=x")
        try u.process()
        let pr = try #require(u.github.pullRequests.first)
        let person = GitHubClient(apiBaseURL: u.github.baseURL, repository: RepositoryName("web-platform-tests/wpt")!,
                                  token: Token(UpstreamWorld.personToken))
        _ = try person.merge(pr.number, method: .rebase)
        let merged = try u.git(["rev-parse", "master"])
        try u.world.gecko.hg(["backout", "-r", change, "-m", "Backed out changeset \(change.prefix(12)) (bug 51) for bustage", "-d", "0 0"])
        try u.world.gecko.hg(["push", "-q", u.world.autoland])
        try u.process()

        let output = try u.world.wptsync(["revert", "upstream", "1"])
        let revert = try #require(u.github.pullRequests.last)
        #expect(output.contains("opened revert PR #\(revert.number)") && revert.headLabel == "wpt-sync-bot:gecko/revert/51", "\(output)")
        #expect(try sh("git", ["--git-dir", fork, "rev-parse", "gecko/revert/51^"]) == merged)
        #expect(try sh("git", ["--git-dir", fork, "ls-tree", "--name-only", "gecko/revert/51"]) == "README.md\n")
    }
}
