import Testing
@testable import SyncCore

/// Issue 16: in mirror setups a backout may name the other kind's hash of a synced change.
@Suite("Backouts naming the other kind of Gecko")
struct MirroredNodesTests {
    let git = String(repeating: "a1", count: 20)
    let hg = String(repeating: "b2", count: 20)

    func backout(_ message: String) -> GeckoChangeset {
        GeckoChangeset(node: String(repeating: "c3", count: 20), isMerge: false, description: Array(message.utf8), files: [])
    }

    @Test func aPrefixOfTheOtherKindNamesTheChangesetsWhoseCounterpartStartsWithIt() {
        let pairs = [git: hg, String(repeating: "d4", count: 20): String(repeating: "e5", count: 20)]
        #expect(MirroredNodes.named(by: String(hg.prefix(12)), pairs: pairs) == [git])
        #expect(MirroredNodes.named(by: String(hg.prefix(12)).uppercased(), pairs: pairs) == [git])
        #expect(MirroredNodes.named(by: "ffffffffffff", pairs: pairs).isEmpty)
    }

    @Test func aBackoutNamingTheHgNodeOfAGitSyncBacksItOut() {
        let sync = UpstreamSync(id: 1, bug: 5, changesets: [SyncChangeset(node: git)])
        let push = [backout("Backed out changeset \(hg.prefix(12)) (bug 5) for bustage")]
        let prefix = String(hg.prefix(12))
        let keys = UpstreamPlanner.lookupKeys(push: push, prefixes: PathPrefixes(), counterparts: [prefix: [git]])
        #expect(keys.nodes.contains(git))
        let without = UpstreamPlanner.apply(push: push, role: .integration, prefixes: PathPrefixes(), syncs: [sync])
        #expect(without.changed.isEmpty, "the hg node alone names nothing wptsync holds")
        let outcome = UpstreamPlanner.apply(push: push, role: .integration, prefixes: PathPrefixes(), syncs: [sync],
                                            counterparts: [prefix: [git]])
        #expect(outcome.changed.first?.changesets.first?.backedOut == true)
        #expect(outcome.changed.first.map { UpstreamPlanner.goal(for: $0) } == .closed)
    }

    @Test func aRevertOfTheBackoutNamedThroughTheOtherKindRelands() {
        var sync = UpstreamSync(id: 1, bug: 5, changesets: [SyncChangeset(node: hg, backedOut: true)])
        sync.status = .incomplete
        let first = "f6" + String(repeating: "0", count: 38)
        let push = [backout("Revert \"Backed out changeset (bug 5)\"\n\nThis reverts commit \(first).")]
        let outcome = UpstreamPlanner.apply(push: push, role: .integration, prefixes: PathPrefixes(), syncs: [sync],
                                            backouts: [first: [git]], counterparts: [git: [hg]])
        #expect(outcome.changed.first?.changesets.first?.backedOut == false)
    }
}
