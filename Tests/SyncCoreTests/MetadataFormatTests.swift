import Testing
@testable import SyncCore

@Suite("Metadata format: reading")
struct MetadataFormatTests {
    @Test(arguments: MetadataCorpus.all)
    func realFilesRenderToTheSameBytes(_ entry: MetadataCorpus.Entry) throws {
        let file = try MetadataParser.parse(entry.text, file: entry.source)
        #expect(Array(file.text.utf8) == Array(entry.text.utf8))
        #expect(!file.isEmpty)
    }

    @Test(arguments: MetadataCorpus.all)
    func realFilesRenderedCanonicallyReadBackTheSame(_ entry: MetadataCorpus.Entry) throws {
        let file = try MetadataParser.parse(entry.text, file: entry.source)
        let canonical = MetadataFile(items: file.items.map(Self.forgettingSources))
        let reread = try MetadataParser.parse(canonical.text, file: "canonical")
        #expect(reread.items.map(Self.forgettingSources) == canonical.items)
    }

    /// Files wptrunner wrote: all but those edited by hand (a list over two lines, comparisons without
    /// parentheses, a comment after one space, blank lines at the end).
    static let writtenByWptrunner = MetadataCorpus.all.filter { entry in
        !["url/__dir__.ini", "inset-box-shadow-scroll.html.ini", "font-variant-emoji-005.html.ini", "system-ui-mixed.html.ini", "wakelock-type.https.any.js.ini"]
            .contains { entry.source.hasSuffix($0) }
    }

    @Test(arguments: writtenByWptrunner)
    func filesWptrunnerWroteAreInTheCanonicalStyle(_ entry: MetadataCorpus.Entry) throws {
        let file = try MetadataParser.parse(entry.text, file: entry.source)
        #expect(MetadataFile(items: file.items.map(Self.forgettingSources)).text == entry.text)
    }

    @Test func readsSectionsSubtestsAndConditions() throws {
        let source = try #require(MetadataCorpus.all.first { $0.source.hasSuffix("set.py.ini") })
        let file = try MetadataParser.parse(source.text, file: source.source)
        let test = try #require(file[section: "set.py"])
        let disabled = try #require(test[key: "disabled"])
        #expect(disabled.branches == [MetadataBranch(condition: .equals("os", .string("android")), value: .string("Not supported"))])
        let subtest = try #require(test[section: "test_negative_x_y"])
        #expect(subtest[key: "bug"]?.branches.first?.value == .string("https://bugzilla.mozilla.org/show_bug.cgi?id=1563248"))
        let expected = try #require(subtest[key: "expected"])
        #expect(expected.value(for: ["os": .string("mac")]) == .strings(["PASS", "FAIL"]))
        #expect(expected.value(for: ["os": .string("linux")]) == nil)
    }

    @Test func readsEscapedNamesQueriesListsOverSeveralLinesAndComments() throws {
        let corpus = Dictionary(uniqueKeysWithValues: MetadataCorpus.all.map { ($0.source.split(separator: "/").suffix(2).joined(separator: "/"), $0.text) })
        let pointer = try MetadataParser.parse(corpus["perform_actions/pointer_mouse.py.ini"]!, file: "pointer_mouse.py.ini")
        #expect(pointer.sections.first?.sections.first?.name == "test_move_to_origin_position_within_frame[element]")
        let websocket = try MetadataParser.parse(corpus["websockets/close-invalid.any.js.ini"]!, file: "close-invalid.any.js.ini")
        #expect(websocket.sections.map(\.name).contains("close-invalid.any.html?wss"))
        let dir = try MetadataParser.parse(corpus["url/__dir__.ini"]!, file: "__dir__.ini")
        #expect(dir[key: "prefs"]?.branches.first?.value == .strings(["network.dns.native-is-localhost:true", "network.url.useDefaultURI:true"]))
        let emoji = try MetadataParser.parse(corpus["css-fonts/font-variant-emoji-005.html.ini"]!, file: "emoji")
        #expect(emoji.sections.first?[key: "expected"]?.branches.first?.comment == "# may fail if device lacks a text font with U+20e3")
        let createElement = try MetadataParser.parse(corpus["nodes/Document-createElement.html.ini"]!, file: "createElement")
        let names = createElement.sections.first?.sections.map(\.name) ?? []
        #expect(names.contains("createElement(\"\u{300}foo\") in HTML document"))
        #expect(names.contains("createElement(\"\\ufffffoo\") in HTML document"))
        let doctype = try MetadataParser.parse(corpus["nodes/DOMImplementation-createDocumentType.html.ini"]!, file: "doctype")
        let doctypeNames = doctype.sections.first?.sections.map(\.name) ?? []
        #expect(doctypeNames.contains("createDocumentType(\"edi:]\", \"\", \"\") should work"))
        #expect(doctypeNames.contains("createDocumentType(\"edi:\\\\\", \"\", \"\") should work"))
        let fuzzy = try MetadataParser.parse(corpus["css-backgrounds/inset-box-shadow-scroll.html.ini"]!, file: "fuzzy")
        let linux: RunInfo = ["os": .string("linux"), "os_version": .string("24.04"), "processor": .string("x86_64"), "display": .string("x11")]
        #expect(fuzzy.sections.first?[key: "fuzzy"]?.value(for: linux) == .string("maxDifference=204-204;totalPixels=208-208"))
    }

    @Test func readsNonASCIIEscapesAtomsQuotesAndComments() throws {
        let text = """
            # a comment before everything
            [sc://ñ.test/ \\] \\\\ \\x41\\u00e9\\U01F4A9]  # after a heading
              disabled: @True
              prefs: [a:1, "b,#", @Reset, 'say "hi"']
              # before the key
              expected:  # after the key
                # before a branch
                if os == "win": "if quoted"  # after a branch
                @False

            """
        let file = try MetadataParser.parse(text, file: "t.ini")
        #expect(file.text == text)
        let section = try #require(file.sections.first)
        #expect(section.name == "sc://ñ.test/ ] \\ Aé💩")
        #expect(section.comment == "# after a heading")
        #expect(section.leadingTrivia == "# a comment before everything\n")
        #expect(section[key: "disabled"]?.branches == [MetadataBranch(value: .scalar(.atom(.true)))])
        #expect(section[key: "prefs"]?.branches.first?.value == .list([.string("a:1"), .string("b,#"), .atom(.reset), .string("say \"hi\"")]))
        let expected = try #require(section[key: "expected"])
        #expect(expected.leadingTrivia == "  # before the key\n")
        #expect(expected.comment == "# after the key")
        #expect(expected.branches == [
            MetadataBranch(condition: .equals("os", .string("win")), value: .string("if quoted"), comments: ["# before a branch"], comment: "# after a branch"),
            MetadataBranch(value: .scalar(.atom(.false))),
        ])
    }

    @Test(arguments: ["a: b", "a: b\r\n[t]\r\n  k: v\r\n", "\n\n[t]\n\n\n  k: v\n# end\n\n", "", "# only a comment", "[t]\n  k:\n    if a: [x,\n      y]  # list\n    z\n"])
    func keepsLineEndsBlankLinesAndMissingFinalNewlines(_ text: String) throws {
        #expect(try MetadataParser.parse(text, file: "t.ini").text == text)
    }

    @Test func conditionsFollowWptrunnerPrecedenceAndFirstMatchWins() throws {
        let text = """
            k:
              if not debug and os == "mac" or bits == 32: first
              if not (os == "linux" and debug): second
              if os == "linux" and version != "18.04": third
              default

            """
        let key = try #require(try MetadataParser.parse(text, file: "t.ini")[key: "k"])
        let mac = Self.value(key, ["debug": .bool(false), "os": .string("mac"), "bits": .number(64)])
        let win32 = Self.value(key, ["debug": .bool(true), "os": .string("win"), "bits": .number(32)])
        let linuxDebug = Self.value(key, ["debug": .bool(true), "os": .string("linux"), "bits": .number(64), "version": .string("20.04")])
        let linuxOld = Self.value(key, ["debug": .bool(true), "os": .string("linux"), "bits": .number(64), "version": .string("18.04")])
        #expect([mac, win32, linuxDebug, linuxOld] == ["first", "first", "third", "default"])
        #expect(key.branches[0].condition == .binary(.or,
            .binary(.and, .not(.variable("debug")), .binary(.equal, .variable("os"), .string("mac"))),
            .binary(.equal, .variable("bits"), .number("32"))))
        #expect(key.branches[1].condition?.text == "not ((os == \"linux\") and debug)")
        #expect(Self.value(key, ["os": .string("linux")]) == "default")
    }

    static func value(_ key: MetadataKey, _ runInfo: RunInfo) -> String? {
        key.value(for: runInfo)?.items.first
    }

    static func forgettingSources(_ item: MetadataItem) -> MetadataItem {
        switch item {
        case .key(let key):
            return .key(MetadataKey(name: key.name, branches: key.branches, comment: key.comment))
        case .section(let section):
            return .section(MetadataSection(name: section.name, comment: section.comment, items: section.items.map(forgettingSources)))
        }
    }
}
