import RepoOps
import Store
import SyncCore

/// The periodic safety net for a lost mozilla-central hook event: asks central, in one revset,
/// which of the changesets waiting for it arrived. It asks nothing more when central's tip and
/// the waiting changesets are what it saw last time (`RecheckMark`, kept in the journal per `task`).
struct CentralRecheck {
    let marks: any RecheckMarkStore
    let central: HgRepository
    /// Names the mark: each caller keeps its own.
    let task: String

    /// Calls `record` with the `pending` nodes (full, lowercase) central now has, unless nothing is
    /// pending or nothing changed since the last re-check; then remembers what is still pending. Returns whether
    /// central was asked.
    @discardableResult
    func run(pending: Set<String>, record: (Set<String>) throws -> Void) throws -> Bool {
        guard !pending.isEmpty else { return false }
        let tip = try central.node(of: "tip")
        guard try marks.recheckMark(task) != RecheckMark.text(tip: tip, pending: pending) else { return false }
        // `and all()` leaves out the working directory's pseudo-node, which `id(ffff…)` names.
        let revset = "(" + pending.sorted().map { "id(\($0))" }.joined(separator: " + ") + ") and all()"
        let arrived = Set(try central.nodes(revset)).intersection(pending)
        try record(arrived)
        try marks.setRecheckMark(task, to: RecheckMark.text(tip: tip, pending: pending.subtracting(arrived)))
        return true
    }
}
