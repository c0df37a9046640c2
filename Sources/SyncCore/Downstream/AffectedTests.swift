/// The tests a try run of a pull request runs, from its changed paths and the tree at its head.
public struct AffectedTests: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable, Codable {
        /// Run `paths`.
        case tests
        /// The PR changes no test but changes wpt's harness or tools (`resources/`, `tools/` at the
        /// root): run wpt's own infrastructure tests (`paths` = `infrastructure`).
        case infrastructure
        /// Nothing to run: only documentation, or support files no test sits next to.
        case none
    }

    public var mode: Mode
    /// Test files or folders relative to the wpt root, sorted; `""` is the whole suite.
    public var paths: [String]
    /// Whether there were more test files than allowed, so `paths` are folders.
    public var folders: Bool

    public init(mode: Mode, paths: [String], folders: Bool) { self.mode = mode; self.paths = paths; self.folders = folders }

    public static let defaultMaxTestPaths = 500
    /// wpt's tests of its own harness.
    public static let infrastructureFolder = "infrastructure"
    /// Root folders holding the harness (`testharness.js`, …) and the tools (`wpt`, wptrunner, …).
    public static let harnessFolders = ["resources", "tools"]

    /// The affected tests of a PR changing `changed` (paths relative to the wpt root), `tree` being
    /// every file at the PR's head. Deleted files (not in `tree`) count for nothing. A changed test
    /// runs itself; a changed support file (`WPTFileKind.support`) runs the tests directly in its
    /// folder, the folder taken above any `resources`, `support`, `tools` or `reference` folder it
    /// is in (`a/b/support/x.js`: the tests in `a/b`). Above `maxTestPaths` tests, their folders
    /// run instead; above `maxTestPaths` folders, the deepest folders give way to their parents
    /// until few enough remain.
    public static func of(changed: [String], tree: Set<String>, maxTestPaths: Int = defaultMaxTestPaths) -> AffectedTests {
        var tests = Set<String>()
        var supportFolders = Set<String>()
        for path in Set(changed) where tree.contains(path) {
            switch WPTFileKind.of(path) {
            case .test: tests.insert(path)
            case .support: supportFolders.insert(testFolder(of: path))
            case .documentation: break
            }
        }
        if !supportFolders.isEmpty {
            for path in tree where supportFolders.contains(parent(of: path)) && WPTFileKind.of(path) == .test { tests.insert(path) }
        }
        if tests.isEmpty {
            let harness = changed.contains { path in harnessFolders.contains { path.hasPrefix($0 + "/") } }
            return AffectedTests(mode: harness ? .infrastructure : .none, paths: harness ? [infrastructureFolder] : [], folders: false)
        }
        let limit = max(1, maxTestPaths)
        guard tests.count > limit else { return AffectedTests(mode: .tests, paths: tests.sorted(), folders: false) }
        return AffectedTests(mode: .tests, paths: collapse(Set(tests.map(parent(of:))), limit: limit), folders: true)
    }

    /// At most `limit` folders covering `folders`: the deepest give way to their parents, round
    /// by round, and a folder beneath another in the set is dropped.
    static func collapse(_ folders: Set<String>, limit: Int) -> [String] {
        var current = outermost(folders)
        while current.count > limit {
            let deepest = current.map(depth).max() ?? 0
            current = outermost(Set(current.map { depth($0) == deepest ? parent(of: $0) : $0 }))
        }
        return current.sorted()
    }

    private static func outermost(_ folders: Set<String>) -> Set<String> {
        if folders.contains("") { return [""] }
        return folders.filter { folder in
            var above = parent(of: folder)
            while !above.isEmpty {
                if folders.contains(above) { return false }
                above = parent(of: above)
            }
            return true
        }
    }

    private static func depth(_ folder: String) -> Int { folder.isEmpty ? 0 : folder.split(separator: "/").count }

    /// The folder of `path` (`""` at the root).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The folder whose tests a support file serves: its own, cut before the first support folder.
    static func testFolder(of path: String) -> String {
        let folders = parent(of: path).split(separator: "/").map(String.init)
        let kept = folders.prefix { !(WPTFileKind.nonTestFolders.contains($0) || $0 == "reference") }
        return kept.joined(separator: "/")
    }
}
