/// One first-parent commit of upstream `master`, as the import planner sees it.
public struct MasterCommit: Sendable, Equatable {
    public var sha: String
    /// The previous commit on master (the first parent).
    public var parent: String
    /// The PR that produced it, when known.
    public var pullRequest: Int?

    public init(sha: String, parent: String, pullRequest: Int?) {
        self.sha = sha; self.parent = parent; self.pullRequest = pullRequest
    }
}

/// What happens to one import unit.
public enum Disposition: Sendable, Equatable, Codable {
    /// Its change is applied to Gecko as one commit.
    case apply
    /// Its change is already in Gecko, or a person chose to skip it: only the sync point moves past it.
    case passOver(reason: String)
}

/// Whether a unit may be imported now: the single rule later parts (downstreaming) extend.
public enum Importability: Sendable, Equatable {
    case ready(Disposition)
    /// Not yet: every later unit waits too.
    case wait(reason: String)
}

/// The upstream change of one PR (or of one commit without a PR): consecutive master commits.
public struct ImportUnit: Sendable, Equatable, Codable {
    public var pullRequest: Int?
    /// Master's first-parent commits of the unit, oldest first.
    public var commits: [String]
    /// The master commit before the unit.
    public var base: String
    public var disposition: Disposition

    public var head: String { commits.last ?? base }

    public init(pullRequest: Int?, commits: [String], base: String, disposition: Disposition = .apply) {
        self.pullRequest = pullRequest; self.commits = commits; self.base = base; self.disposition = disposition
    }
}

/// Pure rules of the import side: which upstream commits form which Gecko commits, and how far
/// an import may go.
public enum ImportPlanner {
    /// Groups master's new commits, oldest first: consecutive commits of the same PR (a rebase
    /// merge writes several) form one unit; a commit without a PR is a unit of its own.
    public static func units(_ commits: [MasterCommit]) -> [ImportUnit] {
        var units: [ImportUnit] = []
        for commit in commits {
            if let pr = commit.pullRequest, let last = units.last, last.pullRequest == pr, last.head == commit.parent {
                units[units.count - 1].commits.append(commit.sha)
            } else {
                units.append(ImportUnit(pullRequest: commit.pullRequest, commits: [commit.sha], base: commit.parent))
            }
        }
        return units
    }

    /// The longest prefix of `units` whose every unit is ready, each with its disposition, and
    /// the first unit that waits (with why), if any.
    public static func importablePrefix(_ units: [ImportUnit], rule: (ImportUnit) throws -> Importability) rethrows
        -> (ready: [ImportUnit], waiting: (unit: ImportUnit, reason: String)?) {
        var ready: [ImportUnit] = []
        for var unit in units {
            switch try rule(unit) {
            case .ready(let disposition):
                unit.disposition = disposition
                ready.append(unit)
            case .wait(let reason):
                return (ready, (unit, reason))
            }
        }
        return (ready, nil)
    }
}
