import SyncCore
import Testing

@Suite struct FNV1aTests {
    @Test func matchesThePublishedTestVectors() {
        // From the FNV reference test suite (64-bit FNV-1a).
        #expect(FNV1a.hex([UInt8]()) == "cbf29ce484222325")
        #expect(FNV1a.hex("a".utf8) == "af63dc4c8601ec8c")
        #expect(FNV1a.hex("foobar".utf8) == "85944171f73967e8")
    }

    @Test func addingInPiecesEqualsAddingAtOnce() {
        var digest = FNV1a()
        digest.add("foo".utf8)
        digest.add("bar".utf8)
        #expect(digest.hex == FNV1a.hex("foobar".utf8))
    }
}
