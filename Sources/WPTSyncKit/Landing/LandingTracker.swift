import RepoOps
import Store
import SyncCore

/// Follows pushed landings through Gecko: landed once the landing commit is in mozilla-central,
/// backed out when a backout names one of its commits (the next landing then imports again,
/// since the sync point in Gecko went back too).
struct LandingTracker {
    let store: any LandingStore

    /// Looks at a push's changesets; returns lines for the log.
    func observe(_ changesets: [HgChangeset], role: GeckoRole) throws -> [String] {
        var landings = try store.landings(statuses: [.pushed, .landed])
        guard !landings.isEmpty else { return [] }
        var notes: [String] = []
        for changeset in changesets {
            let message = CommitMessage.parse(bytes: changeset.description)
            let backedOut = ((message.backout?.nodes ?? []) + (message.reverts?.commits ?? [])).map { $0.lowercased() }
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
