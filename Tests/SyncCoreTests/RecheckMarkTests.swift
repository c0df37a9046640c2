import SyncCore
import Testing

/// Issue 11: a re-check asks central nothing when nothing changed, only what central gained when
/// only central moved, and every waiting changeset otherwise.
@Suite("Re-check marks")
struct RecheckMarkTests {
    let old = String(repeating: "a", count: 40)
    let waiting: Set<String> = [String(repeating: "c", count: 40), String(repeating: "d", count: 40)]

    @Test func theSameTipAndWaitingChangesetsAskNothing() {
        let mark = RecheckMark.text(tip: old, stamp: "s1", pending: waiting)
        #expect(RecheckMark.query(previous: mark, stamp: "s1", pending: waiting) == .nothing)
    }

    @Test func onlyCentralMovingAsksForWhatCentralGainedSinceTheLastTip() {
        let mark = RecheckMark.text(tip: old, stamp: "s1", pending: waiting)
        #expect(RecheckMark.query(previous: mark, stamp: "s2", pending: waiting) == .arrivedSince(tip: old))
    }

    @Test func anUnknownStampAsksForWhatCentralGainedEvenIfItDidNotMove() {
        let mark = RecheckMark.text(tip: old, stamp: nil, pending: waiting)
        #expect(RecheckMark.query(previous: mark, stamp: nil, pending: waiting) == .arrivedSince(tip: old))
    }

    @Test func aChangedSetOfWaitingChangesetsOrNoMarkAsksForEveryOne() {
        let mark = RecheckMark.text(tip: old, stamp: "s1", pending: waiting)
        let more = waiting.union([String(repeating: "e", count: 40)])
        #expect(RecheckMark.query(previous: mark, stamp: "s1", pending: more) == .everything)
        #expect(RecheckMark.query(previous: mark, stamp: "s2", pending: more) == .everything)
        #expect(RecheckMark.query(previous: nil, stamp: "s1", pending: waiting) == .everything)
        #expect(RecheckMark.query(previous: "garbage", stamp: "s1", pending: waiting) == .everything)
    }

    @Test func aMarkMovedToANewTipKeepsItsWaitingChangesets() throws {
        let mark = RecheckMark.text(tip: old, stamp: "s1", pending: waiting)
        let new = String(repeating: "f", count: 40)
        #expect(RecheckMark.tip(of: mark) == old)
        let moved = try #require(RecheckMark.moved(mark, tip: new, stamp: "s2"))
        #expect(moved == RecheckMark.text(tip: new, stamp: "s2", pending: waiting))
        #expect(RecheckMark.query(previous: moved, stamp: "s2", pending: waiting) == .nothing)
        #expect(RecheckMark.tip(of: "garbage") == nil && RecheckMark.moved("garbage", tip: new, stamp: "s2") == nil)
    }
}
