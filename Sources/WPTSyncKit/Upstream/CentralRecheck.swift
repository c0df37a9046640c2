import RepoOps
import Store
import SyncCore

/// The periodic safety net for a lost mozilla-central hook event: asks central, in one revset,
/// which of the changesets waiting for it arrived. It asks nothing, and starts no Mercurial, when
/// central's changelog file and the waiting changesets are what it saw last time (`RecheckMark`, kept in the journal per `task`),
/// and only for the changesets central stored since then when only central moved.
struct CentralRecheck {
    let marks: any RecheckMarkStore
    /// Central's root, whose changelog file tells whether it moved without starting Mercurial.
    let centralPath: String
    /// Opens central (its command server) only when it has to be asked.
    let central: () throws -> HgRepository
    /// Names the mark: each caller keeps its own.
    let task: String

    /// Calls `record` with the `pending` nodes (full, lowercase) central now has, unless nothing is
    /// pending or nothing changed since the last re-check; then remembers what is still pending.
    /// Returns whether central was asked.
    @discardableResult
    func run(pending: Set<String>, record: (Set<String>) throws -> Void) throws -> Bool {
        guard !pending.isEmpty else { return false }
        // Taken before the tip: a changeset added in between changes the stamp, so it is asked for next time.
        let stamp = HgRepository.changelogStamp(path: centralPath)
        let query = RecheckMark.query(previous: try marks.recheckMark(task), stamp: stamp, pending: pending)
        guard query != .nothing else { return false }
        let central = try central()
        let tip = try central.node(of: "tip")
        let candidates: Set<String>
        if case .arrivedSince(let since) = query, let gained = try? central.nodes("\(since):\(tip)") {
            candidates = Set(gained)  // the changesets stored after `since`; failing if central lost it (a strip)
        } else {
            candidates = Set(try central.nodes(everything(pending)))
        }
        let arrived = candidates.intersection(pending)
        try record(arrived)
        try marks.setRecheckMark(task, to: RecheckMark.text(tip: tip, stamp: stamp, pending: pending.subtracting(arrived)))
        return true
    }

    /// The revset of the waiting changesets central has. `and all()` leaves out the working
    /// directory's pseudo-node, which `id(ffff…)` names.
    private func everything(_ pending: Set<String>) -> String {
        "(" + pending.sorted().map { "id(\($0))" }.joined(separator: " + ") + ") and all()"
    }
}
