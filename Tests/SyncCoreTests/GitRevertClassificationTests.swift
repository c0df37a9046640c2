import Testing
@testable import SyncCore

/// `git revert` commits, as a git Gecko repository holds them, go through the same rules as
/// Mercurial backouts.
@Suite("Classifying git revert commits")
struct GitRevertClassificationTests {
    static let prefixes = PathPrefixes()
    static func sha(_ n: Int) -> String { String(repeating: "\(n % 10)f", count: 20) }
    static func commit(_ n: Int, _ message: String, files: [String] = ["testing/web-platform/tests/a.html"]) -> GeckoChangeset {
        GeckoChangeset(node: sha(n), isMerge: false, description: Array(message.utf8), files: files.map { Array($0.utf8) })
    }
    /// What `git revert --no-edit` writes.
    static func revert(_ n: Int, of target: Int, subject: String) -> GeckoChangeset {
        commit(n, "Revert \"\(subject)\"\n\nThis reverts commit \(sha(target)).\n")
    }

    @Test func aRevertOfAWptChangeIsABackoutOfThatCommitNotAChangeOfItsBug() {
        let change = Self.commit(1, "Bug 7 - Test x. r=bob\n")
        #expect(change.kind(prefixes: Self.prefixes) == .wpt(bug: 7))
        #expect(Self.revert(2, of: 1, subject: "Bug 7 - Test x. r=bob").kind(prefixes: Self.prefixes) == .backout(nodes: [Self.sha(1)]))
    }

    @Test func aRewordedRevertStillCountsButARevertSubjectAloneDoesNot() {
        let reworded = Self.commit(2, "Bug 7 - Back out the test for bustage\n\nThis reverts commit \(Self.sha(1)).\n")
        #expect(reworded.kind(prefixes: Self.prefixes) == .backout(nodes: [Self.sha(1)]))
        #expect(Self.commit(2, "Revert \"Bug 7 - Test x\"\n\nNo hash here.\n").kind(prefixes: Self.prefixes) == .wpt(bug: 7))
    }

    @Test func aRevertOfARevertRelandsTheChange() {
        let first = Self.revert(2, of: 1, subject: "Bug 7 - Test x")
        let second = Self.revert(3, of: 2, subject: "Revert \"Bug 7 - Test x\"")
        let found = BackoutChain.resolve(push: [second], prefixes: Self.prefixes) { prefix in
            prefix == Self.sha(2) ? first : nil
        }
        #expect(found == [Self.sha(2): [Self.sha(1)]])
        #expect(BackoutChain.effects(of: [Self.sha(2)], backouts: found).map(\.backedOut) == [false])
    }

    @Test func anImportQuotingARevertIsAnImport() {
        let imported = Self.commit(4, "Bug 9 [wpt PR 12] - Revert a thing, a=testonly\n\nAutomatic update from web-platform-tests\n"
                                   + "Revert \"x\"\n\nThis reverts commit \(Self.sha(1)).\n\nwpt-pr: 12\nwpt-commits: \(Self.sha(5))\n")
        #expect(imported.kind(prefixes: Self.prefixes) == .skip("imported from upstream"))
    }
}
