import Store
import SyncCore

extension UpstreamSyncer {
    /// The re-check mark of the upstream syncs' waiting changesets (`CentralRecheck`'s task).
    static let recheckTask = "upstream-syncs"

    /// The pass after a Mercurial central moved while no sync changed since a pass that had nothing
    /// to watch (the syncs' `generation` is the one that pass saw): asks central's changelog index
    /// what it gained since the remembered tip, and looks those nodes up in the syncs' node index
    /// instead of reading every open sync. When none of them waits for central, both marks move to
    /// central's new state and this returns true: nothing else is to be done. Otherwise (something
    /// arrived, central lost the remembered tip, no mark yet) it returns false for the full pass.
    func skipAfterCentralOnlyMoved(central: any CentralHistory, stamp: String, generation: Int64) throws -> Bool {
        guard central is HgCentral,  // a git central in a mixed setup answers for git commits, not the syncs' hg nodes
              let idle = try store.recheckMark(Self.idlePass), idle.split(separator: " ").last == "\(generation)"[...],
              let mark = try store.recheckMark(Self.recheckTask), let since = RecheckMark.tip(of: mark) else { return false }
        let tip = try central.tip()
        guard let gained = try? central.gained(since: since, tip: tip) else { return false }
        let waiting = try store.syncs(relevantToBugs: [], nodePrefixes: gained.sorted()).contains { sync in
            sync.status == .open && !sync.isLanded && sync.changesets.contains { !$0.inCentral && gained.contains($0.node.lowercased()) }
        }
        guard !waiting, let moved = RecheckMark.moved(mark, tip: tip, stamp: stamp) else { return false }
        try store.setRecheckMark(Self.recheckTask, to: moved)
        try store.setRecheckMark(Self.idlePass, to: "\(stamp) \(generation)")
        return true
    }
}
