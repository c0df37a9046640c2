/// What one import unit touches, for holding back the units behind a waiting one: its changed
/// paths and the tests it affects (`AffectedTests`, as a try run of it would select them), relative
/// to the wpt root.
public struct UnitFootprint: Sendable, Equatable {
    /// Changed paths, and test files.
    public var files: Set<String>
    /// Test folders (when a unit affects more tests than `max_test_paths`); `""` is the whole suite.
    public var folders: Set<String>

    /// A footprint of these paths and test folders.
    public init(files: Set<String>, folders: Set<String> = []) { self.files = files; self.folders = folders }

    /// The footprint of a unit changing `changed`, whose try run would run `affected`.
    public init(changed: [String], affected: AffectedTests) {
        files = Set(changed)
        folders = []
        // The infrastructure tests are named by their folder.
        if affected.folders || affected.mode == .infrastructure { folders = Set(affected.paths) } else { files.formUnion(affected.paths) }
    }

    /// Whether the two units touch a path or a test in common (a folder covers what is under it).
    public func overlaps(_ other: UnitFootprint) -> Bool {
        !files.isDisjoint(with: other.files) || !folders.isDisjoint(with: other.folders)
            || files.contains { other.covers($0) } || other.files.contains { covers($0) }
            || folders.contains { other.covers($0) } || other.folders.contains { covers($0) }
    }

    /// Whether one of the folders holds `path` (strictly below it).
    private func covers(_ path: String) -> Bool {
        guard !folders.isEmpty else { return false }
        if folders.contains("") { return true }
        var above = AffectedTests.parent(of: path)
        while !above.isEmpty {
            if folders.contains(above) { return true }
            above = AffectedTests.parent(of: above)
        }
        return false
    }
}

/// A unit the import leaves for later while the units behind it may land.
public struct HeldUnit: Sendable, Equatable, Codable {
    /// The unit's PR; nil for a commit pushed to master without one.
    public var pullRequest: Int?
    /// The unit's last master commit.
    public var head: String
    /// Why, for people.
    public var reason: String

    /// A unit held back for `reason`.
    public init(pullRequest: Int?, head: String, reason: String) {
        self.pullRequest = pullRequest; self.head = head; self.reason = reason
    }

    /// `PR #n`, or `commit <sha>` for a unit without a PR.
    public var name: String { Self.name(pullRequest: pullRequest, head: head) }

    /// `PR #n`, or `commit <sha>` without a PR.
    public static func name(pullRequest: Int?, head: String) -> String {
        pullRequest.map { "PR #\($0)" } ?? "commit \(head.prefix(12))"
    }
}

/// What an import does with master's units past the sync point.
public struct ImportPlan: Sendable, Equatable {
    /// The units imported now, in master order, each with its disposition.
    public var ready: [ImportUnit]
    /// Units left for later, in master order: waiting themselves (`Importability.hold`), or touching
    /// the same paths or tests as a unit held before them.
    public var held: [HeldUnit]
    /// The upstream commit Gecko's wpt matches after the import, every unit up to it imported: the
    /// head of the last unit before the first one left for later.
    public var syncPoint: String
    /// The heads of the units imported past `syncPoint` (before or now), in master order.
    public var landedBeyond: [String]
}
