/// What a file in wpt is, judged from its path alone as wpt's manifest does before it reads any
/// content (`tools/manifest/sourcefile.py`). A markup file outside the support folders may be a
/// testharness test, a reftest or a support page: only its content tells, so it counts as a test
/// (the runner runs nothing for a path that turns out to be no test).
public enum WPTFileKind: Sendable, Equatable {
    /// A test the runner runs in Gecko: testharness (markup, `.any.js`, `.window.js`,
    /// `.worker.js`), reftest, print reftest, crashtest, or wdspec (`webdriver/**/*.py`).
    case test
    /// A file tests use: under `resources/`, `support/` or `tools/`, in `common/`, a reference
    /// (`-ref`, `/reference/`), `.headers`, `.ini`, `MANIFEST*`, any non-test extension; also manual,
    /// visual and conformance-checker files, which the runner does not run in Gecko.
    case support
    /// Describes tests without changing how they run: `META.yml`, `WEB_FEATURES.yml`, Markdown,
    /// dot files.
    case documentation

    static let nonTestFolders: Set<String> = ["resources", "support", "tools"]
    static let markupExtensions: Set<String> = ["html", "htm", "xhtml", "xht", "xml", "svg"]

    /// The kind of `path`, relative to the wpt root.
    public static func of(_ path: String) -> WPTFileKind {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let filename = parts[parts.count - 1]
        let folders = parts.dropLast()
        if ["META.yml", "WEB_FEATURES.yml"].contains(filename) || filename.hasPrefix(".") || filename.hasSuffix(".md") {
            return .documentation
        }
        let (name, ext) = split(filename)
        let typeFlag = name.lastIndex(of: "-").map { String(name[name.index(after: $0)...].prefix { $0 != "." }) }
        let metaFlags = Set(name.split(separator: ".").dropFirst().map(String.init))
        if folders.isEmpty || folders.first == "common" || folders.contains(where: nonTestFolders.contains)
            || folders.starts(with: ["css", "common"]) || folders.starts(with: ["css", "CSS2", "archive"])
            || folders.first == "conformance-checkers"
            || name.hasPrefix("MANIFEST") || filename.hasSuffix(".headers") || ext == "ini" {
            return .support
        }
        if typeFlag == "manual" || typeFlag == "visual" { return .support }
        if typeFlag == "crash" || folders.contains("crashtests") { return .test }
        if ext == "js" && !metaFlags.isDisjoint(with: ["any", "window", "worker"]) { return .test }
        if ext == "py" {
            let wdspec = (folders.first == "webdriver") || folders.starts(with: ["infrastructure", "webdriver"])
            return wdspec && !["__init__.py", "conftest.py"].contains(filename) ? .test : .support
        }
        if markupExtensions.contains(ext) && !isReference(name: name, path: path) { return .test }
        return .support
    }

    /// A reference page, by name (`-ref`, `_ref2`, `notref-`…: wpt's `(^|[-_])(not)?ref[0-9]*([-_]|$)`)
    /// or in a `reference` folder.
    static func isReference(name: String, path: String) -> Bool {
        if ("/" + path).contains("/reference/") { return true }
        let pieces = name.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "_" }
        return pieces.contains { piece in
            var rest = Substring(piece)
            if rest.hasPrefix("not") { rest = rest.dropFirst(3) }
            guard rest.hasPrefix("ref") else { return false }
            return rest.dropFirst(3).allSatisfy(\.isASCII) && rest.dropFirst(3).allSatisfy(\.isNumber)
        }
    }

    /// `name.ext` split at the last dot, as Python's `splitext` (a leading dot starts no extension).
    static func split(_ filename: String) -> (name: String, ext: String) {
        guard let dot = filename.lastIndex(of: "."), dot != filename.startIndex else { return (filename, "") }
        return (String(filename[..<dot]), String(filename[filename.index(after: dot)...]))
    }
}
