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
        let name = path[(path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path.utf8.index(after: $0) } ?? path.startIndex)...]
        if source.hasPrefix("_mozilla/") {
            self.init(path: Self.mozillaRoot + "/" + source.dropFirst("_mozilla/".count) + ".ini", section: String(name) + variant)
        } else {
            self.init(path: Self.upstreamRoot + "/" + source + ".ini", section: String(name) + variant)
        }
    }

    /// The source file a test id is generated from, relative to the wpt root: `/x/y.any.worker.html?wss`
    /// is `x/y.any.js`, `/x/y.window.html` is `x/y.window.js`, `/x/y.html?a` is `x/y.html`.
    public static func sourcePath(forTest id: String) -> String? {
        let (path, _) = split(id)
        guard path.utf8.first == UInt8(ascii: "/"), path.utf8.last != UInt8(ascii: "/") else { return nil }
        // Compared by bytes: the standard library's Character comparisons take most of an update's time here.
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        for component in path.utf8.dropFirst().split(separator: slash, omittingEmptySubsequences: false) {
            if component.isEmpty || component.allSatisfy({ $0 == dot }) && component.count <= 2 { return nil }
        }
        let nameStart = path.utf8.index(after: path.utf8.lastIndex(of: slash)!)
        let directory = path[path.utf8.index(after: path.startIndex)..<nameStart]
        let name = path[nameStart...]
        if let any = name.firstByteRange(of: ".any."), name.utf8HasSuffix(".html") || name.utf8HasSuffix(".js") {
            return directory + name[..<any.lowerBound] + ".any.js"
        }
        for suffix in [".worker.html", ".window.html"] where name.utf8HasSuffix(suffix) && name.utf8.count > suffix.utf8.count {
            return directory + name.dropLast(".html".count) + ".js"
        }
        return String(path.dropFirst())
    }

    /// A test id's path and its variant (the query or fragment wpt adds: `?x=1`, `#a`), which may hold `/`.
    static func split(_ id: String) -> (path: Substring, variant: Substring) {
        let end = id.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? id.endIndex
        return (id[..<end], id[end...])
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

private extension Substring {
    /// The first occurrence of `pattern`, compared byte by byte.
    func firstByteRange(of pattern: String) -> Range<Index>? {
        let needle = pattern.utf8
        var start = utf8.startIndex
        while let found = utf8[start...].firstIndex(of: needle.first!) {
            if utf8[found...].starts(with: needle) { return found..<utf8.index(found, offsetBy: needle.count) }
            start = utf8.index(after: found)
        }
        return nil
    }

    func utf8HasSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }
}
