import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// A git Gecko repository: `install-hooks` puts the mirror's post-receive hook in it, its branch's
/// updates are recorded with the same journal and dedupe key as replaying the same range.
@Suite("Git Gecko: hook and replay", .serialized)
struct GitGeckoIntakeTests {
    private func head(_ u: UpstreamWorld) throws -> String {
        try sh("git", ["rev-parse", "HEAD"], in: u.world.geckoClone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theHookRecordsOnlyItsBranchAndReplayingTheRangeIsTheSameEvent() throws {
        let u = try UpstreamWorld(geckoKind: .git)
        #expect(FileManager.default.isExecutableFile(atPath: "\(u.world.autoland)/hooks/post-receive"))
        let report = try u.world.wptsync(["check-config"])
        #expect(report.contains("gecko autoland (integration, git branch refs/heads/autoland): \(u.world.autoland); hook records updates of the branch"), "\(report)")
        #expect(report.contains("gecko mozilla-central (central, git branch refs/heads/main)"), "\(report)")
        let initial = try head(u)
        let node = try u.world.landInGecko(["testing/web-platform/tests/a.html": "a\n"], message: "Bug 31 - Add a. r=alice")
        try sh("git", ["push", "-q", u.world.autoland, "HEAD:refs/heads/elsewhere"], in: u.world.geckoClone)
        let journal = try SQLiteJournal(path: u.world.store)
        let events = try journal.events(state: nil, limit: 100)
        #expect(events.map(\.payload) == [.gitPush(GitPush(repository: "autoland", updates: [
            RefUpdate(old: initial, new: node, ref: "refs/heads/autoland")]))])
        _ = try u.process()
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/31"])

        let again = try u.world.wptsync(["replay", "--repository", "autoland", "--revs", "\(initial.prefix(12))..\(node)"])
        #expect(again.contains("replay: 1 event(s), 0 recorded, 1 already recorded"), "\(again)")
        #expect(u.github.pullRequests.count == 1)
    }

    @Test func replayingARangeTheHookMissedOpensThePullRequest() throws {
        let u = try ReplayTests.worldWithoutHooks(world: UpstreamWorld(geckoKind: .git))
        let initial = try head(u)
        try u.world.landInGecko(["testing/web-platform/tests/b.html": "b\n"], message: "Bug 32 - Add b. r=bob")
        #expect(u.github.pullRequests.isEmpty)
        let plan = try u.world.wptsync(["replay", "--repository", "autoland", "--revs", "\(initial)..autoland", "--dry-run"])
        #expect(plan.contains(": 1 changeset(s)\n") && plan.contains("new sync gecko/32: open a PR"), "\(plan)")
        #expect(u.github.pullRequests.isEmpty)
        let output = try u.world.wptsync(["replay", "--repository", "autoland", "--revs", "\(initial)..autoland"])
        #expect(output.contains("replay: 1 event(s), 1 recorded, 0 already recorded; processed 1 event(s), 0 failed"), "\(output)")
        #expect(u.github.pullRequests.map(\.headRef) == ["gecko/32"])
    }

    @Test func badRangesAreNamedAndRecordNothing() throws {
        let u = try ReplayTests.worldWithoutHooks(world: UpstreamWorld(geckoKind: .git))
        let initial = try head(u)
        let before = try WorldState(u)
        let missing = String(repeating: "1", count: 40)
        for (arguments, message) in [
            (["--revs", "\(initial)..\(missing)"], "--revs \(initial)..\(missing): its end, \(missing), is not a changeset of autoland (\(u.world.autoland))"),
            (["--revs", "nosuchrev..\(initial)"], "--revs nosuchrev..\(initial): its start, nosuchrev, is not a changeset of autoland"),
            (["--revs", "0:1"], "OLD..NEW for git repository autoland"),
        ] {
            let result = try u.world.wptsyncResult(["replay", "--repository", "autoland"] + arguments)
            #expect(result.status != 0 && result.stderrString.contains(message), "\(arguments): \(result.stderrString)")
        }
        #expect(try WorldState(u) == before)
    }

    @Test func aPushedCommitWhoseMessageIsNotUTF8FailsNamingIt() throws {
        let u = try UpstreamWorld(geckoKind: .git)
        let clone = u.world.geckoClone
        try writeFile("\(clone)/testing/web-platform/tests/c.html", "c\n")
        try writeFile("\(u.world.dir.path)/message", Array("Bug 33 - caf".utf8) + [0xe9, 0x0a])
        try sh("git", ["add", "-A"], in: clone)
        try sh("git", ["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", "\(u.world.dir.path)/message"], in: clone)
        try u.world.pushGecko(to: u.world.autoland)
        let node = try head(u)
        let output = try u.process()
        #expect(output.contains("commit \(node) has a message that is not UTF-8 (invalid byte at offset 12)"), "\(output)")
        #expect(u.github.pullRequests.isEmpty)
    }
}
