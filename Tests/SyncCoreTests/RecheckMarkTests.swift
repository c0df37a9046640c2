import SyncCore
import Testing

/// Issue 11: a re-check asks central nothing when nothing changed, only what central gained when
/// only central moved, and every waiting changeset otherwise.
@Suite("Re-check marks")
struct RecheckMarkTests {
    let old = String(repeating: "a", count: 40)
    let new = String(repeating: "b", count: 40)
    let waiting: Set<String> = [String(repeating: "c", count: 40), String(repeating: "d", count: 40)]

    @Test func theSameTipAndWaitingChangesetsAskNothing() {
        let mark = RecheckMark.text(tip: old, pending: waiting)
        #expect(RecheckMark.query(previous: mark, tip: old, pending: waiting) == .nothing)
    }

    @Test func onlyCentralMovingAsksForWhatCentralGainedSinceTheLastTip() {
        let mark = RecheckMark.text(tip: old, pending: waiting)
        #expect(RecheckMark.query(previous: mark, tip: new, pending: waiting) == .arrivedSince(tip: old))
    }

    @Test func aChangedSetOfWaitingChangesetsOrNoMarkAsksForEveryOne() {
        let mark = RecheckMark.text(tip: old, pending: waiting)
        let more = waiting.union([String(repeating: "e", count: 40)])
        #expect(RecheckMark.query(previous: mark, tip: old, pending: more) == .everything)
        #expect(RecheckMark.query(previous: mark, tip: new, pending: more) == .everything)
        #expect(RecheckMark.query(previous: nil, tip: old, pending: waiting) == .everything)
        #expect(RecheckMark.query(previous: "garbage", tip: old, pending: waiting) == .everything)
    }
}
