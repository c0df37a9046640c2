import Testing
@testable import SyncCore

@Suite("Metadata format: editing")
struct MetadataEditTests {
    static let text = """
        [a.html]
          expected:
            if (os == "linux") and debug: TIMEOUT   # slow
            if os == "mac": FAIL
            OK
          [first subtest]
            expected: FAIL

          [second subtest]
            expected:
              if os   ==   "win": [FAIL,PASS]


        [b.html]
          bug: 123

        """

    @Test func editingOneValueRewritesOnlyThatEntryInWptrunnerStyle() throws {
        var file = try MetadataParser.parse(Self.text, file: "a.html.ini")
        file[section: "a.html"]?[section: "second subtest"]?[key: "expected"]?.branches[0].value = .strings(["PASS", "FAIL", "TIMEOUT"])
        #expect(file.text == Self.text.replacingOccurrences(
            of: "      if os   ==   \"win\": [FAIL,PASS]\n",
            with: "      if os == \"win\": [PASS, FAIL, TIMEOUT]\n"))
    }

    @Test func settingTheSameValueKeepsTheBytes() throws {
        var file = try MetadataParser.parse(Self.text, file: "a.html.ini")
        let expected = file[section: "a.html"]![key: "expected"]!
        file[section: "a.html"]?[key: "expected"] = MetadataKey(name: "expected", branches: expected.branches)
        #expect(file.text == Self.text)
    }

    @Test func addingAndRemovingKeysAndSubtests() throws {
        var file = try MetadataParser.parse(Self.text, file: "a.html.ini")
        file[section: "a.html"]?[section: "first subtest"] = nil
        file[section: "a.html"]?[section: "third [subtest]"] = MetadataSection(
            name: "third [subtest]", items: [.key(MetadataKey(name: "expected", value: .string("FAIL")))])
        file[section: "b.html"]?[key: "expected"] = MetadataKey(name: "expected", branches: [
            MetadataBranch(condition: .binary(.and, .equals("os", .string("linux")), .not(.variable("debug"))), value: .string("ERROR")),
            MetadataBranch(value: .string("TIMEOUT")),
        ])
        file[section: "b.html"]?[key: "bug"] = nil
        #expect(file.text == """
            [a.html]
              expected:
                if (os == "linux") and debug: TIMEOUT   # slow
                if os == "mac": FAIL
                OK

              [second subtest]
                expected:
                  if os   ==   "win": [FAIL,PASS]

              [third [subtest\\]]
                expected: FAIL


            [b.html]
              expected:
                if (os == "linux") and not debug: ERROR
                TIMEOUT

            """)
    }

    @Test func aFileIndentedByFourSpacesStaysConsistentWhenEdited() throws {
        let text = "[a.html]\n    expected: FAIL\n    [s]\n        expected: FAIL\n"
        var file = try MetadataParser.parse(text, file: "a.html.ini")
        file[section: "a.html"]?[key: "expected"]?.branches = [MetadataBranch(condition: .variable("debug"), value: .string("TIMEOUT"))]
        file[section: "a.html"]?[section: "s"]?[section: "t"] = MetadataSection(name: "t", items: [.key(MetadataKey(name: "bug", value: .string("1")))])
        #expect(file.text == "[a.html]\n    expected:\n      if debug: TIMEOUT\n    [s]\n        expected: FAIL\n        [t]\n          bug: 1\n")
        #expect(try MetadataParser.parse(file.text, file: "a.html.ini").sections.first?.sections.first?.sections.first?.name == "t")
    }

    @Test func aNewFileIsWrittenLikeWptrunnerWritesIt() {
        var file = MetadataFile()
        file[section: "t.html?q=1"] = MetadataSection(name: "t.html?q=1", items: [
            .key(MetadataKey(name: "expected", value: .string("TIMEOUT"))),
            .section(MetadataSection(name: "s1", items: [.key(MetadataKey(name: "expected", value: .string("FAIL")))])),
            .section(MetadataSection(name: "s2", items: [.key(MetadataKey(name: "expected", value: .strings(["PASS", "if x, y"])))])),
        ])
        file[key: "prefs"] = MetadataKey(name: "prefs", value: .strings(["dom.x:true"]))
        #expect(file.text == """
            prefs: [dom.x:true]
            [t.html?q=1]
              expected: TIMEOUT
              [s1]
                expected: FAIL

              [s2]
                expected: [PASS, "if x, y"]

            """)
    }

    @Test func removingEverythingLeavesAnEmptyFile() throws {
        var file = try MetadataParser.parse(Self.text, file: "a.html.ini")
        file[section: "a.html"] = nil
        file[section: "b.html"] = nil
        #expect(file.isEmpty)
        #expect(file.text == "")
    }

    @Test(arguments: [
        MetadataExpression.binary(.and, .binary(.or, .variable("a"), .variable("b")), .variable("c")),
        .binary(.or, .variable("a"), .binary(.and, .variable("b"), .variable("c"))),
        .binary(.and, .binary(.and, .variable("a"), .variable("b")), .variable("c")),
        .binary(.equal, .not(.variable("a")), .string("x\"y")),
        .not(.binary(.notEqual, .variable("os"), .number("10.15"))),
    ])
    func conditionsWrittenReadBackToTheSameTree(_ condition: MetadataExpression) throws {
        var file = MetadataFile()
        file[key: "k"] = MetadataKey(name: "k", branches: [MetadataBranch(condition: condition, value: .string("v"))])
        #expect(try MetadataParser.parse(file.text, file: "t.ini")[key: "k"]?.branches.first?.condition == condition)
    }
}
