import RepoOps
import SyncCore
import Testing

/// Issue 13: a PR's stored metadata moves onto the metadata as it stands later (a new push, a landing).
@Suite("Metadata rebase: a stored update merged three-way into Gecko's current file")
struct MetadataRebaseTests {
    static let before = "[a.html]\n  bug: 1\n  [s]\n    expected: FAIL\n  [t]\n    expected: FAIL\n"
    static let after = "[a.html]\n  bug: 1\n  [s]\n    expected: FAIL\n  [t]\n    expected:\n      if os == \"win\": FAIL\n"

    @Test func geckoUnchangedTakesTheUpdateAndAnUnrelatedGeckoChangeIsKept() {
        let change = DownstreamMetadata.File(before: Self.before, after: Self.after)
        #expect(MetadataRebase.rebase(change, onto: Self.before) == .file(Self.after))
        let gecko = Self.before.replacingOccurrences(of: "bug: 1", with: "bug: 2")
        #expect(MetadataRebase.rebase(change, onto: gecko) == .file(Self.after.replacingOccurrences(of: "bug: 1", with: "bug: 2")))
        #expect(MetadataRebase.rebase(.init(before: nil, after: "[b.html]\n  expected: TIMEOUT\n"), onto: nil) == .file("[b.html]\n  expected: TIMEOUT\n"))
        #expect(MetadataRebase.rebase(.init(before: Self.before, after: nil), onto: Self.before) == .file(nil))
    }

    @Test func anOverlappingGeckoChangeConflictsAndIsLeftAsGeckoHasIt() {
        let change = DownstreamMetadata.File(before: Self.before, after: Self.after)
        let gecko = Self.before.replacingOccurrences(of: "  [t]\n    expected: FAIL\n", with: "  [t]\n    expected: TIMEOUT\n")
        #expect(MetadataRebase.rebase(change, onto: gecko) == .conflict)
        #expect(MetadataRebase.rebase(.init(before: nil, after: "[a.html]\n  expected: ERROR\n"), onto: Self.before) == .conflict)
        let metadata = DownstreamMetadata(revision: "r", base: "b", files: ["x.ini": change, "y.ini": .init(before: nil, after: "[y.html]\n  expected: ERROR\n")])
        let (files, conflicts) = MetadataRebase.rebase(metadata, onto: ["x.ini": gecko])
        #expect(conflicts == ["x.ini"] && files == ["y.ini": .some("[y.html]\n  expected: ERROR\n")])
    }
}
