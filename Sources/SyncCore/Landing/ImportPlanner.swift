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
    /// Not yet: the later units touching the same paths or tests wait with it, the others may land.
    case hold(reason: String)
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

    /// What to import of `units` (master's units after `syncPoint`, oldest first), `landed` being
    /// the heads of units Gecko already has past it (imported out of order). A unit the rule holds
    /// holds back every later applied unit whose footprint overlaps its own or another held one's
    /// (`footprint` is asked only once something is held); the others are imported now. The sync
    /// point moves to the last unit before the first one left.
    public static func plan(_ units: [ImportUnit], after syncPoint: String, landed: Set<String>,
                            rule: (ImportUnit) throws -> Importability,
                            footprint: (ImportUnit) throws -> UnitFootprint) rethrows -> ImportPlan {
        var plan = ImportPlan(ready: [], held: [], syncPoint: syncPoint, landedBeyond: [])
        var heldFootprints: [UnitFootprint] = []
        func imported(_ unit: ImportUnit) {
            if plan.held.isEmpty { plan.syncPoint = unit.head } else { plan.landedBeyond.append(unit.head) }
        }
        for var unit in units {
            if landed.contains(unit.head) {
                imported(unit)
                continue
            }
            switch try rule(unit) {
            case .hold(let reason):
                plan.held.append(HeldUnit(pullRequest: unit.pullRequest, head: unit.head, reason: reason))
                heldFootprints.append(try footprint(unit))
            case .ready(let disposition):
                if disposition == .apply, !heldFootprints.isEmpty {
                    let touched = try footprint(unit)
                    if let index = heldFootprints.firstIndex(where: { $0.overlaps(touched) }) {
                        let name = HeldUnit.name(pullRequest: unit.pullRequest, head: unit.head)
                        plan.held.append(HeldUnit(pullRequest: unit.pullRequest, head: unit.head,
                                                  reason: "\(name) touches the same tests as \(plan.held[index].name), which is held back"))
                        heldFootprints.append(touched)
                        continue
                    }
                }
                unit.disposition = disposition
                plan.ready.append(unit)
                imported(unit)
            }
        }
        return plan
    }
}
