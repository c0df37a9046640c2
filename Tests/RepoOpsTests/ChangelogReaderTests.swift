import Foundation
import Testing
import RepoOps
import TestSupport

/// Issue 11: the changelog's revlog index read directly answers what Mercurial answers, for
/// inline and separate indexes and after a strip, and refuses whatever it cannot trust.
@Suite("Changelog index read without Mercurial")
struct ChangelogReaderTests {
    /// A repository with `count` linear changesets made by one `hg debugbuilddag` (a separate
    /// index once the changelog passes 128 KiB, about 2,500 of these).
    func built(_ count: Int) throws -> HgFixture {
        let fixture = try HgFixture("changelog")
        try fixture.hg(["debugbuilddag", "-q", "+\(count)"])
        return fixture
    }

    /// Revision numbers and nodes, as `hg log` gives them.
    func logged(_ fixture: HgFixture, _ revset: String = "all()") throws -> [String] {
        try fixture.hg(["log", "-r", revset, "-T", "{node}\n"]).split(separator: "\n").map(String.init)
    }

    func expectSameAsMercurial(_ fixture: HgFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reader = ChangelogReader(repository: fixture.root)
        let nodes = try logged(fixture)
        #expect(try reader.nodes() == nodes, sourceLocation: sourceLocation)
        #expect(try reader.tip() == fixture.hg(["log", "-r", "tip", "-T", "{node}"]), sourceLocation: sourceLocation)
        for revision in Set([0, nodes.count / 3, nodes.count - 2, nodes.count - 1]) {
            #expect(try reader.revision(of: nodes[revision]) == revision, sourceLocation: sourceLocation)
            #expect(try reader.nodes(from: nodes[revision], through: nodes.last!) == logged(fixture, "\(revision):tip"), sourceLocation: sourceLocation)
        }
        let missing = String(repeating: "d", count: 40)
        #expect(try reader.revision(of: missing) == nil, sourceLocation: sourceLocation)
        #expect(try reader.present([nodes[0], nodes.last!.uppercased(), missing]) == [nodes[0], nodes.last!.uppercased()], sourceLocation: sourceLocation)
        #expect(distrust { _ = try reader.present([nodes[0], String(nodes[0].prefix(12))]) } == .nodeNotFound(String(nodes[0].prefix(12))),
                "a short node is left to Mercurial", sourceLocation: sourceLocation)
    }

    func isSeparate(_ fixture: HgFixture) -> Bool {
        FileManager.default.fileExists(atPath: fixture.root + "/.hg/store/00changelog.d")
    }

    func distrust(_ body: () throws -> Void) -> ChangelogDistrust? {
        do { try body() } catch { if case let .changelogNotRead(_, reason)? = error as? HgError { return reason } }
        return nil
    }

    @Test func anInlineIndexAnswersAsMercurialDoesAlsoAfterAStrip() throws {
        let fixture = try HgFixture("changelog")
        for name in ["a", "b", "c", "d", "e"] {
            try fixture.write(name, name)
            try fixture.commit("Bug 1 - \(name)")
        }
        try fixture.hg(["update", "-q", "1"])
        try fixture.write("side", "side")
        try fixture.commit("Bug 2 - another head")
        #expect(!isSeparate(fixture))
        try expectSameAsMercurial(fixture)

        let stripped = try logged(fixture, "2")[0]
        try fixture.hg(["--config", "extensions.strip=", "strip", "-q", "--no-backup", "2"])
        try expectSameAsMercurial(fixture)
        #expect(distrust { _ = try ChangelogReader(repository: fixture.root).nodes(from: stripped, through: fixture.hg(["log", "-r", "tip", "-T", "{node}"])) } == .nodeNotFound(stripped))
    }

    @Test func aSeparateIndexAnswersAsMercurialDoesAlsoAfterAStrip() throws {
        let fixture = try built(3_000)
        #expect(isSeparate(fixture))
        try expectSameAsMercurial(fixture)
        try fixture.hg(["--config", "extensions.strip=", "strip", "-q", "--no-backup", "1000"])
        #expect(isSeparate(fixture))
        try expectSameAsMercurial(fixture)
    }

    @Test func theHeaderIsReadOnlyForRevlogVersionOneWithKnownFlags() throws {
        #expect(try ChangelogIndex.isInline(header: 0x0001_0001))
        #expect(try ChangelogIndex.isInline(header: 0x0003_0001))
        #expect(try !ChangelogIndex.isInline(header: 0x0000_0001))
        #expect(throws: ChangelogDistrust.unknownVersion(0xdead)) { try ChangelogIndex.isInline(header: 0x0001_dead) }
        #expect(throws: ChangelogDistrust.unknownVersion(0)) { try ChangelogIndex.isInline(header: 0) }
        #expect(throws: ChangelogDistrust.unknownFlags(0x4)) { try ChangelogIndex.isInline(header: 0x0004_0001) }
        #expect(ChangelogIndex.unhandledRequirement(["store", "revlogv1", "share-safe", "persistent-nodemap"]) == nil)
        #expect(ChangelogIndex.unhandledRequirement(["store", "revlogv1", "changelogv2"]) == "changelogv2")
        #expect(ChangelogIndex.unhandledRequirement(["revlogv1"]) == "no store")
    }

    @Test func aRepositoryWhoseIndexCannotBeTrustedIsRefusedNotMisread() throws {
        let fixture = try HgFixture("changelog")
        try fixture.write("a", "a")
        let first = try fixture.commit("Bug 1 - a")
        try fixture.write("b", "b")
        let second = try fixture.commit("Bug 1 - b")
        let reader = ChangelogReader(repository: fixture.root)
        #expect(distrust { _ = try reader.nodes(from: String(repeating: "e", count: 40), through: second) } == .nodeNotFound(String(repeating: "e", count: 40)))

        // A share reads another repository's store.
        let share = TempDir("changelog-share").sub("share")
        try sh("hg", ["--config", "extensions.share=", "share", "-q", "-U", fixture.root, share])
        #expect(distrust { _ = try ChangelogReader(repository: share).tip() } == .shared)

        // A format this reader does not know.
        let requires = fixture.root + "/.hg/store/requires"
        let original = try String(contentsOfFile: requires, encoding: .utf8)
        try writeFile(requires, original + "exp-some-new-format\n")
        #expect(distrust { _ = try reader.tip() } == .requirement("exp-some-new-format"))
        try writeFile(requires, original)
        #expect(try reader.tip() == second)

        // A truncated last entry.
        let index = fixture.root + "/.hg/store/00changelog.i"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: index))
        let secondEntry = 64 + bytes[8..<12].reduce(0) { $0 << 8 | Int($1) }  // inline: after the first entry's data
        #expect(distrust { _ = try reader.tip() } == .truncated(offset: secondEntry))
        try bytes.write(to: URL(fileURLWithPath: index))

        // Obsolescence markers may hide changesets.
        try fixture.hg(["--config", "experimental.evolution.createmarkers=true", "debugobsolete", second])
        #expect(distrust { _ = try reader.present([first]) } == .obsoleteMarkers)
    }

    @Test func aCommitWhoseTransactionIsStillOpenIsNotSeen() throws {
        let fixture = try HgFixture("changelog")
        try fixture.write("a", "a")
        let committed = try fixture.commit("Bug 1 - a")
        try fixture.write("b", "b")
        let reader = ChangelogReader(repository: fixture.root)
        try PendingTransaction.run(in: fixture.root, hook: "pretxncommit", ["commit", "-q", "-A", "-m", "Bug 1 - b"]) { () throws -> Void in
            // Mercurial shows the pending changeset to hooks through 00changelog.i.a.
            #expect(FileManager.default.fileExists(atPath: fixture.root + "/.hg/store/00changelog.i.a"))
            #expect(try reader.tip() == committed)
            #expect(try reader.nodes() == [committed])
        }
        #expect(try reader.nodes() == logged(fixture))
        #expect(try reader.nodes().count == 2)
    }

    @Test func changesetsPulledIntoASeparateIndexAreNotSeenBeforeTheirTransactionCloses() throws {
        // `debugbuilddag` makes the same nodes for the same DAG, so the source extends the fixture.
        // (A pull into an inline changelog keeps it inline, whatever its size.)
        let source = try built(3_100)
        let fixture = try built(3_000)
        #expect(isSeparate(fixture))
        let reader = ChangelogReader(repository: fixture.root)
        let before = try logged(fixture)
        try PendingTransaction.run(in: fixture.root, hook: "pretxnchangegroup", ["pull", "-q", source.root]) { () throws -> Void in
            #expect(FileManager.default.fileExists(atPath: fixture.root + "/.hg/store/00changelog.i.a"))
            #expect(try reader.nodes() == before)
            #expect(try reader.tip() == before.last)
        }
        #expect(try reader.nodes() == logged(source))
    }
}
