import RepoOps
import Store
import SyncCore

/// The periodic safety net for a lost mozilla-central hook event: asks central, in one question,
/// which of the changesets waiting for it arrived. It asks nothing, and opens nothing, when
/// central's stamp and the waiting changesets are what it saw last time (`RecheckMark`, kept in
/// the journal per `task`), and only for the changesets central gained since then when only
/// central moved. Central is Mercurial (`HgCentral`) or a git branch (`GitCentral`).
struct CentralRecheck {
    let marks: any RecheckMarkStore
    let central: any CentralHistory
    /// Names the mark: each caller keeps its own.
    let task: String

    init(marks: any RecheckMarkStore, central: any CentralHistory, task: String) {
        self.marks = marks; self.central = central; self.task = task
    }

    /// A Mercurial central at `centralPath`, whose command server `central` opens only when asked.
    init(marks: any RecheckMarkStore, centralPath: String, central: @escaping () throws -> HgRepository, task: String) {
        self.init(marks: marks, central: HgCentral(path: centralPath, repository: central), task: task)
    }

    /// Calls `record` with the `pending` nodes (full, lowercase) central now has, unless nothing is
    /// pending or nothing changed since the last re-check; then remembers what is still pending.
    /// Returns whether central was asked.
    @discardableResult
    func run(pending: Set<String>, record: (Set<String>) throws -> Void) throws -> Bool {
        guard !pending.isEmpty else { return false }
        // Taken before the tip: a changeset added in between changes the stamp, so it is asked for next time.
        let stamp = central.stamp()
        let query = RecheckMark.query(previous: try marks.recheckMark(task), stamp: stamp, pending: pending)
        guard query != .nothing else { return false }
        let tip = try central.tip()
        let arrived: Set<String>
        if case .arrivedSince(let since) = query, let since = try? central.arrived(pending, since: since, tip: tip) {
            arrived = since  // failing if central lost `since` (a strip, a forced push)
        } else {
            arrived = try central.holds(pending, tip: tip)
        }
        try record(arrived)
        try marks.setRecheckMark(task, to: RecheckMark.text(tip: tip, stamp: stamp, pending: pending.subtracting(arrived)))
        return true
    }
}
