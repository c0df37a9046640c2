import RepoOps
import Store
import SyncCore

/// The periodic safety net for a lost mozilla-central hook event: asks central, in one revset,
/// which of the changesets waiting for it arrived. It asks nothing more when central's tip and
/// the waiting changesets are what it saw last time (`RecheckMark`, kept in the journal per `task`),
/// and only for the changesets central gained since then when only its tip moved.
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
        let candidates: Set<String>
        switch RecheckMark.query(previous: try marks.recheckMark(task), tip: tip, pending: pending) {
        case .nothing:
            return false
        case .arrivedSince(let since):
            // The changesets stored after `since`. If central lost it (a strip), ask for each waiting one.
            candidates = try Set((try? central.nodes("\(since):\(tip)")) ?? central.nodes(everything(pending)))
        case .everything:
            candidates = Set(try central.nodes(everything(pending)))
        }
        let arrived = candidates.intersection(pending)
        try record(arrived)
        try marks.setRecheckMark(task, to: RecheckMark.text(tip: tip, pending: pending.subtracting(arrived)))
        return true
    }

    /// The revset of the waiting changesets central has. `and all()` leaves out the working
    /// directory's pseudo-node, which `id(ffff…)` names.
    private func everything(_ pending: Set<String>) -> String {
        "(" + pending.sorted().map { "id(\($0))" }.joined(separator: " + ") + ") and all()"
    }
}
