import Testing
@testable import SyncCore

@Suite("Metadata format: entries by name")
struct MetadataEntriesTests {
    static func subtest(_ name: String, _ status: String = "FAIL") -> MetadataSection {
        MetadataSection(name: name, items: [.key(MetadataKey(name: "expected", value: .string(status)))])
    }

    @Test func removingMostSubtestsOfALargeTestKeepsTheOthersInOrderAndFindable() throws {
        let text = "[a.html]\n  bug: 1\n" + (0..<1000).map { "  [s\($0)]\n    expected: FAIL\n" }.joined(separator: "\n")
        var file = try MetadataParser.parse(text, file: "a.html.ini")
        var section = try #require(file[section: "a.html"])
        for index in 0..<1000 where index % 10 != 7 { section[section: "s\(index)"] = nil }
        #expect(section[section: "s3"] == nil)
        section[section: "s17"] = Self.subtest("s17", "TIMEOUT")
        section[key: "expected"] = MetadataKey(name: "expected", value: .string("ERROR"))
        section[section: "new"] = Self.subtest("new")
        file[section: "a.html"] = section
        #expect(section.sections.map(\.name) == (0..<100).map { "s\($0 * 10 + 7)" } + ["new"])
        #expect(section[section: "s997"]?[key: "expected"]?.branches.first?.value == .string("FAIL"))
        #expect(file.text == "[a.html]\n  bug: 1\n  expected: ERROR\n\n"
            + (0..<100).map { "  [s\($0 * 10 + 7)]\n    expected: \($0 == 1 ? "TIMEOUT" : "FAIL")\n" }.joined(separator: "\n")
            + "\n  [new]\n    expected: FAIL\n")
    }

    @Test func aRepeatedNameIsFoundAgainAfterItsFirstEntryIsRemoved() throws {
        var file = try MetadataParser.parse("[a.html]\n  bug: 1\n  bug: 2\n\n[a.html]\n  bug: 3\n", file: "a.html.ini")
        file[section: "a.html"]?[key: "bug"] = nil
        #expect(file[section: "a.html"]?[key: "bug"]?.branches.first?.value == .string("2"))
        file[section: "a.html"] = nil
        #expect(file[section: "a.html"]?[key: "bug"]?.branches.first?.value == .string("3"))
        // The blank line before the second section is its own and stays with it.
        #expect(file.text == "\n[a.html]\n  bug: 3\n")
    }

    @Test func aKeyAddedAfterARepeatedKeyGoesAfterTheLastKey() throws {
        var file = try MetadataParser.parse("[t.html]\n  a: 1\n  b: 2\n  a: 3\n  [s]\n    x: 1\n", file: "t.html.ini")
        file[section: "t.html"]?[key: "c"] = MetadataKey(name: "c", value: .string("4"))
        #expect(file.text == "[t.html]\n  a: 1\n  b: 2\n  a: 3\n  c: 4\n  [s]\n    x: 1\n")
    }

    @Test func aKeyAddedWhenTheFirstEntriesWereRemovedGoesBeforeTheSections() {
        var section = MetadataSection(name: "a.html", items: [.key(MetadataKey(name: "bug", value: .string("1"))),
                                                             .section(Self.subtest("s")), .section(Self.subtest("t"))])
        section[key: "bug"] = nil
        section[section: "s"] = nil
        section[key: "expected"] = MetadataKey(name: "expected", value: .string("ERROR"))
        #expect(section.items == [.key(MetadataKey(name: "expected", value: .string("ERROR"))), .section(Self.subtest("t"))])
    }

    @Test func entriesCompareByWhatTheyHoldNotByHowTheyWereEdited() {
        var edited = MetadataSection(name: "a.html", items: (0..<40).map { .section(Self.subtest("s\($0)")) })
        for index in 0..<39 { edited[section: "s\(index)"] = nil }
        let fresh = MetadataSection(name: "a.html", items: [.section(Self.subtest("s39"))])
        #expect(edited == fresh)
        #expect(Set([edited, fresh]).count == 1)
    }
}
