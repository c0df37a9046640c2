import RepoOps
import Store
import SyncCore

/// Follows pushed landings through Gecko: landed once the landing commit is in mozilla-central,
/// backed out when a backout names one of its commits (the next landing then imports again,
/// since the sync point in Gecko went back too).
struct LandingTracker {
    let store: any LandingStore
    let prefixes: PathPrefixes

    /// How many recent landings a backout is compared with.
    static let backoutWindow = 50

    /// Looks at a push's changesets; returns lines for the log. Only pushed landings are compared
    /// with a central push, and only recent ones with a backout.
    func observe(_ changesets: [HgChangeset], role: GeckoRole) throws -> [String] {
        // Classified first, so a revert line in an imported upstream message is not a backout.
        let backouts = changesets.map { changeset -> [String] in
            if case .backout(let nodes) = GeckoChangeset(changeset).kind(prefixes: prefixes) { nodes } else { [] }
        }
        let anyBackout = backouts.contains { !$0.isEmpty }
        guard role == .central || anyBackout else { return [] }
        var landings = try store.landings(statuses: anyBackout ? [.pushed, .landed] : [.pushed],
                                          limit: anyBackout ? Self.backoutWindow : nil)
        guard !landings.isEmpty else { return [] }
        var notes: [String] = []
        for (changeset, backedOut) in zip(changesets, backouts) {
            for index in landings.indices {
                var landing = landings[index]
                if !backedOut.isEmpty, landing.nodes.contains(where: { node in backedOut.contains { node.hasPrefix($0) } }) {
                    landing.status = .backedOut
                    let whole = landing.landingNode.map { node in backedOut.contains { node.hasPrefix($0) } } ?? false
                    landing.lastError = "backed out by \(changeset.node.prefix(12))" + (whole
                        ? ": the sync point went back with it; `wptsync continue landing` imports these changes again"
                        : ": only some of its commits, and the sync point did not move back, so those upstream changes are not imported again; land them by hand, then `wptsync continue landing`")
                } else if role == .central, landing.status == .pushed, landing.landingNode == changeset.node {
                    landing.status = .landed
                    landing.waitingFor = nil
                } else {
                    continue
                }
                landings[index] = try store.save(landing)
                notes.append(LandingFormat.line(landings[index]))
            }
        }
        return notes
    }

    /// Asks mozilla-central whether pushed landings arrived, in case its hook's event was lost: one
    /// revset, and none when central and the pushed landings did not change since the last time.
    func recheck(centralPath: String, central: @escaping () throws -> HgRepository, marks: any RecheckMarkStore) throws -> [String] {
        try recheck(central: HgCentral(path: centralPath, repository: central), marks: marks)
    }

    /// The same against any kind of central (a git branch: `GitCentral`).
    func recheck(central: any CentralHistory, marks: any RecheckMarkStore) throws -> [String] {
        let pushed = try store.landings(statuses: [.pushed])
        var notes: [String] = []
        try CentralRecheck(marks: marks, central: central, task: "pushed-landings")
            .run(pending: Set(pushed.compactMap { $0.landingNode?.lowercased() })) { arrived in
                for var landing in pushed where landing.landingNode.map({ arrived.contains($0.lowercased()) }) ?? false {
                    landing.status = .landed
                    landing.waitingFor = nil
                    notes.append(LandingFormat.line(try store.save(landing)))
                }
            }
        return notes
    }
}
