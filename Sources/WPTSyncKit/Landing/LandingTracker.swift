import RepoOps
import Store
import SyncCore

/// Follows pushed landings through Gecko: landed once the landing commit is in mozilla-central,
/// backed out when a backout names one of its commits (the next landing then imports again,
/// since the sync point in Gecko went back too).
struct LandingTracker {
    let store: any LandingStore

    /// How many recent landings a backout is compared with.
    static let backoutWindow = 50

    /// Looks at a push's changesets; returns lines for the log. Only pushed landings are compared
    /// with a central push, and only recent ones with a backout.
    func observe(_ changesets: [HgChangeset], role: GeckoRole) throws -> [String] {
        let backouts = changesets.map { changeset in
            let message = CommitMessage.parse(bytes: changeset.description)
            return ((message.backout?.nodes ?? []) + (message.reverts?.commits ?? [])).map { $0.lowercased() }
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
                    landing.lastError = "backed out by \(changeset.node.prefix(12))"
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

    /// Asks mozilla-central whether pushed landings arrived, in case its hook's event was lost.
    func recheck(central: HgRepository) throws -> [String] {
        var notes: [String] = []
        for var landing in try store.landings(statuses: [.pushed]) {
            guard let node = landing.landingNode, (try? central.node(of: node)) != nil else { continue }
            landing.status = .landed
            landing.waitingFor = nil
            notes.append(LandingFormat.line(try store.save(landing)))
        }
        return notes
    }
}
