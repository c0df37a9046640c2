// Where wptrunner keeps a test's expectations: the metadata file is named after the test's source file
// (`<metadata root>/<source path>.ini`) and holds one section per test id made from that source, named
// by the id's last path segment with its variant. A source file may give several ids: `x.any.js` gives
// `x.any.html`, `x.any.worker.html`, …; `x.worker.js` gives `x.worker.html`; `x.window.js` gives
// `x.window.html` (wpt's `tools/manifest/sourcefile.py`).

/// A test's place in Gecko's expectation metadata.
public struct MetadataLocation: Sendable, Hashable, Comparable {
    /// The metadata file, relative to the repository root: `testing/web-platform/meta/css/a/b.html.ini`.
    public var path: String
    /// The test's section in it: `b.html?x=1`.
    public var section: String

    public init(path: String, section: String) {
        self.path = path
        self.section = section
    }

    public static func < (a: MetadataLocation, b: MetadataLocation) -> Bool {
        (a.path, a.section) < (b.path, b.section)
    }

    /// The metadata of upstream tests, relative to the repository root.
    public static let upstreamRoot = "testing/web-platform/meta"
    /// The metadata of Gecko's own tests (test ids under `/_mozilla/`).
    public static let mozillaRoot = "testing/web-platform/mozilla/meta"

    /// The location of a test id (`/css/a/b.html?x=1`, `/x/y.any.worker.html`), or nil for what is not a
    /// test id (no leading `/`, no file name).
    public init?(testID id: String) {
        guard let source = Self.sourcePath(forTest: id) else { return nil }
        let (path, variant) = Self.split(id)
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if source.hasPrefix("_mozilla/") {
            self.init(path: Self.mozillaRoot + "/" + source.dropFirst("_mozilla/".count) + ".ini", section: name + variant)
        } else {
            self.init(path: Self.upstreamRoot + "/" + source + ".ini", section: name + variant)
        }
    }

    /// The source file a test id is generated from, relative to the wpt root: `/x/y.any.worker.html?wss`
    /// is `x/y.any.js`, `/x/y.window.html` is `x/y.window.js`, `/x/y.html?a` is `x/y.html`.
    public static func sourcePath(forTest id: String) -> String? {
        let (path, _) = split(id)
        guard path.hasPrefix("/"), !path.hasSuffix("/"), !path.hasSuffix("/."), !path.hasSuffix("/.."),
              !["//", "/./", "/../"].contains(where: { path.firstRange(of: $0) != nil }) else { return nil }
        let slash = path.lastIndex(of: "/")!
        let directory = path[path.index(after: path.startIndex)..<path.index(after: slash)]
        let name = path[path.index(after: slash)...]
        if let any = name.firstRange(of: ".any."), name.hasSuffix(".html") || name.hasSuffix(".js") {
            return directory + name[..<any.lowerBound] + ".any.js"
        }
        for suffix in [".worker.html", ".window.html"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return directory + name.dropLast(".html".count) + ".js"
        }
        return String(path.dropFirst())
    }

    /// A test id's path and its variant (the query or fragment wpt adds: `?x=1`, `#a`), which may hold `/`.
    static func split(_ id: String) -> (path: Substring, variant: Substring) {
        let path = id.prefix { $0 != "?" && $0 != "#" }
        return (path, id.dropFirst(path.count))
    }

    /// Test ids grouped by metadata file and section; `invalid` holds the ids that are not test ids.
    public static func group<Value>(_ byTest: [String: Value]) -> (files: [String: [String: Value]], invalid: [String]) {
        var files: [String: [String: Value]] = [:]
        var invalid: [String] = []
        for (id, value) in byTest {
            guard let location = MetadataLocation(testID: id) else {
                invalid.append(id)
                continue
            }
            files[location.path, default: [:]][location.section] = value
        }
        return (files, invalid.sorted())
    }
}
