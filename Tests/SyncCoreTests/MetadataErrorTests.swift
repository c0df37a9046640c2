import Testing
@testable import SyncCore

@Suite("Metadata format: errors")
struct MetadataErrorTests {
    static let cases: [(String, Int, Int, MetadataSyntaxProblem)] = [
        ("[t.html]\n  expected: FAIL\n   [sub]\n", 3, 4, .unexpectedIndent(expected: [0, 2])),
        ("[t.html]\n    [sub]\n      expected: FAIL\n  bug: 1\n", 4, 3, .unexpectedIndent(expected: [0])),
        ("  [t.html]\n", 1, 3, .unexpectedIndent(expected: [0])),
        ("[t.html]\n  [sub\n    expected: FAIL\n", 2, 7, .unclosedHeading),
        ("[t.html]\n  expected: [PASS, FAIL,\n  [sub]\n", 2, 25, .unclosedList),
        ("[t.html]\n  expected: [PASS, FAIL\n", 2, 24, .unclosedList),
        ("[t.html]\n  expected:\n    if os = \"mac\": FAIL\n", 3, 11, .badCondition("'==' or '!='")),
        ("[t.html]\n  expected:\n    if (os == \"mac\" and debug: FAIL\n", 3, 30, .badCondition("')'")),
        ("[t.html]\n  expected:\n    if os == \"mac\" debug: FAIL\n", 3, 20, .badCondition("'and', 'or', '==', '!=' or ':'")),
        ("[t.html]\n  expected:\n    if os ==: FAIL\n", 3, 13, .badCondition("a name, string, number, 'not' or '('")),
        ("[t.html]\n  expected:\n    if os == \"mac\" FAIL\n", 3, 24, .badCondition("':' after the condition")),
        ("[t.html]\n  expected:\n    if os == \"mac\": # FAIL\n", 3, 21, .missingValue),
        ("[t.html]\n\texpected: FAIL\n", 2, 1, .tabInIndentation),
        ("[t.html]\n  \texpected: FAIL\n", 2, 3, .tabInIndentation),
        ("[t.html]\n  expected FAIL\n", 2, 12, .spaceInKey),
        ("[t.html]\n  expected\n", 2, 11, .missingColon),
        ("[t.html]\n  expected:\n[u.html]\n", 2, 12, .missingBlock(key: "expected")),
        ("[t.html] x\n", 1, 10, .junkAfter("']'")),
        ("[t.html]\n  disabled: if os == \"mac\"\n", 2, 13, .unquotedIf),
        ("[t.html]\n  expected:\n    FAIL\n    if os == \"mac\": PASS\n", 4, 5, .defaultNotLast),
        ("[t.html]\n  expected: @Maybe\n", 2, 13, .unknownAtom("Maybe")),
        ("[t.html]\n  expected: [PASS, FA#IL]\n", 2, 22, .commentInListItem),
        ("[t.html]\n  expected: [, PASS]\n", 2, 14, .listItemStartsWithComma),
        ("[t.html]\n  expected: \"FAIL\n", 2, 13, .unclosedQuote),
        ("[t.\\xZZhtml]\n", 1, 4, .badEscape),
    ]

    @Test(arguments: cases)
    func namesTheFileLineColumnAndWhatWasExpected(_ text: String, _ line: Int, _ column: Int, _ problem: MetadataSyntaxProblem) {
        #expect(throws: MetadataError.syntax(file: "meta/t.html.ini", line: line, column: column, problem: problem)) {
            try MetadataParser.parse(text, file: "meta/t.html.ini")
        }
    }

    @Test func bytesThatAreNotUTF8AreRefusedWhereTheyAre() throws {
        let bytes = Array("[t.html]\n  [é".utf8) + [0xFF] + Array("]\n".utf8)
        #expect(throws: MetadataError.syntax(file: "t.ini", line: 2, column: 5, problem: .notUTF8(byte: 0xFF))) {
            try MetadataParser.parse(bytes: bytes, file: "t.ini")
        }
        let valid = Array("[t.html]\n  [é]\n    expected: FAIL\n".utf8)
        #expect(Array(try MetadataParser.parse(bytes: valid, file: "t.ini").text.utf8) == valid)
    }

    @Test func theMessageReadsAsALocationAndAnExpectation() {
        let error = MetadataError.syntax(file: "meta/t.html.ini", line: 3, column: 11, problem: .badCondition("'==' or '!='"))
        #expect(error.description == "meta/t.html.ini:3:11: bad condition: expected '==' or '!='")
        #expect(MetadataError.syntax(file: "a.ini", line: 2, column: 1, problem: .tabInIndentation).description
            == "a.ini:2:1: a tab in the indentation; expected spaces (two per level)")
    }
}
