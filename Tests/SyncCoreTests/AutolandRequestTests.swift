import SyncCore
import Testing

@Suite("Autoland requests (pure)")
struct AutolandRequestTests {
    let settings = AutolandSettings(defaultTree: "autoland", trees: ["autoland", "mozilla-inbound"])

    func config(_ autoland: String) -> [UInt8] {
        Array(#"{"version": 2, "parameters": {"try_task_config": {"tasks": ["t"], "autoland": \#(autoland)}}}"#.utf8)
    }

    @Test("--autoland in the try: line asks for the default tree; =<tree> names another")
    func trySyntax() throws {
        #expect(try AutolandAsk.parse(message: "Bug 1 - x r=a\n\ntry: -b do -p all --autoland -u all") == AutolandAsk())
        #expect(try AutolandAsk.parse(message: "try: -b o --autoland=mozilla-inbound")?.tree == "mozilla-inbound")
        #expect(try AutolandAsk.parse(message: "try: -b o --autoland --autoland=autoland")?.tree == "autoland")
        #expect(try AutolandAsk.parse(message: "Bug 1 - x\n\ntry: -b do -p all -u all") == nil)
        // Only the words of the try: line count, and only as whole words.
        #expect(try AutolandAsk.parse(message: "Bug 1 - support --autoland in mach\n\ntry: -b do") == nil)
        #expect(try AutolandAsk.parse(message: "retry: --autoland") == nil)
        #expect(try AutolandAsk.parse(message: "try: --autolanding") == nil)
    }

    @Test("a malformed try: line is refused, naming the word")
    func malformedTrySyntax() {
        #expect(throws: AutolandError.malformedTrySyntax(token: "--autoland=", reason: "names no tree")) {
            try AutolandAsk.parse(message: "try: -b o --autoland=")
        }
        #expect(throws: AutolandError.malformedTrySyntax(token: "--autoland=a;rm", reason: "is not a tree name (letters, digits, - and _)")) {
            try AutolandAsk.parse(message: "try: --autoland=a;rm")
        }
        #expect(throws: AutolandError.conflictingTrees(["autoland", "mozilla-inbound"])) {
            try AutolandAsk.parse(message: "try: --autoland=autoland --autoland=mozilla-inbound")
        }
        let error = AutolandError.malformedTrySyntax(token: "--autoland=", reason: "names no tree")
        #expect(error.description == #"try syntax: "--autoland=" names no tree"#)
    }

    @Test("try_task_config.json: parameters.try_task_config.autoland is true, false or a tree")
    func tryTaskConfig() throws {
        #expect(try AutolandAsk.parse(message: "Fuzzy query=wpt", tryTaskConfig: config("true")) == AutolandAsk())
        #expect(try AutolandAsk.parse(message: "Fuzzy query=wpt", tryTaskConfig: config("false")) == nil)
        #expect(try AutolandAsk.parse(message: "Fuzzy", tryTaskConfig: config(#""mozilla-inbound""#))?.tree == "mozilla-inbound")
        #expect(try AutolandAsk.parse(message: "Fuzzy", tryTaskConfig: Array(#"{"version": 2, "parameters": {}}"#.utf8)) == nil)
        // Not JSON, and no mention of autoland: no request (the decision task will complain, not us).
        #expect(try AutolandAsk.parse(message: "Fuzzy", tryTaskConfig: Array("not json".utf8)) == nil)
        // Both agree, or one names the tree the other leaves to the default.
        #expect(try AutolandAsk.parse(message: "try: --autoland", tryTaskConfig: config(#""mozilla-inbound""#))?.tree == "mozilla-inbound")
        #expect(throws: AutolandError.conflictingTrees(["autoland", "mozilla-inbound"])) {
            try AutolandAsk.parse(message: "try: --autoland=autoland", tryTaskConfig: config(#""mozilla-inbound""#))
        }
    }

    @Test("a malformed try_task_config.json request is refused with the key")
    func malformedTryTaskConfig() {
        #expect(throws: AutolandError.malformedTryTaskConfig(reason: "parameters.try_task_config.autoland must be true, false or a tree name")) {
            try AutolandAsk.parse(message: "x", tryTaskConfig: config("3"))
        }
        #expect(throws: AutolandError.malformedTryTaskConfig(reason: #"parameters.try_task_config.autoland "../x" is not a tree name"#)) {
            try AutolandAsk.parse(message: "x", tryTaskConfig: config(#""../x""#))
        }
        #expect(throws: AutolandError.malformedTryTaskConfig(reason: "is not the JSON object of a try task configuration, so its autoland request cannot be read")) {
            try AutolandAsk.parse(message: "x", tryTaskConfig: Array(#"{"autoland": tru"#.utf8))
        }
    }

    @Test("the target is the named tree or the default, and only a configured one")
    func target() throws {
        #expect(try AutolandAsk().target(settings) == "autoland")
        #expect(try AutolandAsk(tree: "mozilla-inbound").target(settings) == "mozilla-inbound")
        #expect(throws: AutolandError.unknownTree("mozilla-central", allowed: ["autoland", "mozilla-inbound"])) {
            try AutolandAsk(tree: "mozilla-central").target(settings)
        }
        #expect(AutolandError.unknownTree("central", allowed: ["autoland"]).description
            == #""central" is not a tree autoland lands on (allowed: autoland)"#)
    }
}
