import SyncCore
import Testing

/// Issue 13: after a PR's first complete try run, a stability run of the same tests on the same base,
/// each task `rebuild` times; what it disables is commented (by the metadata step) and its triage
/// contact asked.
@Suite("Downstream: the stability run (pure)")
struct DownstreamStabilityPlannerTests {
    typealias Push = DownstreamTryPush

    static let approved = DownstreamPullRequest(number: 7, state: .open, head: "h1", approved: true, checksPassed: false,
                                                treeChanges: "c1", mode: .tests)
    static let settings = DownstreamPlanner.Settings(rebuild: 10, triage: ["Core :: DOM": "dom@example.org"],
                                                     triageDefault: "wpt@example.org")

    static func first(_ status: Push.Status = .complete, mode: AffectedTests.Mode = .tests) -> Push {
        Push(head: "h1", treeChanges: "c1", mode: mode, reason: .changes, status: status, revision: "r1", base: "b1")
    }

    static func stability(_ status: Push.Status = .running, revision: String? = "r2", reason: Push.Reason = .stability) -> Push {
        Push(head: "h1", treeChanges: "c1", mode: .tests, reason: reason, status: status, revision: revision, base: "b1", rebuild: 10)
    }

    /// Both runs pushed and their results said, as far as `said` goes.
    static func sync(_ pushes: [Push], said: [String] = ["try-pushed r1", "results r1"], disabled: [String] = [],
                     component: BugComponent? = BugComponent(product: "Core", component: "DOM")) -> DownstreamSync {
        var sync = DownstreamSync(pullRequest: 7)
        sync.bug = 100; sync.tryPushes = pushes; sync.commented = Set(said); sync.component = component
        if !disabled.isEmpty { sync.metadata = DownstreamMetadata(revision: "r2", base: "b1", disabled: disabled) }
        return sync
    }

    static let stable = ["try-pushed r1", "results r1", "try-pushed r2", "results r2"]

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var sync: DownstreamSync
        var settings = DownstreamStabilityPlannerTests.settings
        var goals: [DownstreamGoal]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "first results said: a stability run of the same head and tests on the same base, 10 times",
            sync: sync([first()]), goals: [.pushTry(stability(.planned, revision: nil))]),
        Row(name: "no rebuild configured: the first results end it", sync: sync([first()]), settings: .init(),
            goals: [.done(reason: "results of r1 are in")]),
        Row(name: "an infrastructure run gets no stability run", sync: sync([first(mode: .infrastructure)]),
            goals: [.done(reason: "results of r1 are in")]),
        Row(name: "the first results not said yet: said first", sync: sync([first()], said: ["try-pushed r1"]),
            goals: [.comment(.results(revision: "r1"))]),
        Row(name: "a stability run planned and not known to be made is made (once: the shell finds it in try)",
            sync: sync([first(), stability(.planned, revision: nil)]), goals: [.pushTry(stability(.planned, revision: nil))]),
        Row(name: "the stability run pushed and said: waits for its results",
            sync: sync([first(), stability()], said: ["try-pushed r1", "results r1", "try-pushed r2"]),
            goals: [.waitForResults(revision: "r2")]),
        Row(name: "its results in: said", sync: sync([first(), stability(.complete)], said: ["try-pushed r1", "results r1", "try-pushed r2"]),
            goals: [.comment(.results(revision: "r2"))]),
        Row(name: "it disabled tests: the component's triage contact is asked", sync: sync([first(), stability(.complete)], said: stable,
                                                                                           disabled: ["/dom/a.html | x"]),
            goals: [.needinfo(contact: "dom@example.org", revision: "r2")]),
        Row(name: "a component without its own contact: the default one", sync: sync([first(), stability(.complete)], said: stable,
                                                                                       disabled: ["/dom/a.html | x"], component: .webPlatformTests),
            goals: [.needinfo(contact: "wpt@example.org", revision: "r2")]),
        Row(name: "asked already: done", sync: sync([first(), stability(.complete)], said: stable + ["needinfo r2"], disabled: ["/dom/a.html | x"]),
            goals: [.done(reason: "results of the stability run r2 are in")]),
        Row(name: "nothing disabled: nobody asked", sync: sync([first(), stability(.complete)], said: stable),
            goals: [.done(reason: "results of the stability run r2 are in")]),
        Row(name: "no triage contact at all: nobody asked", sync: sync([first(), stability(.complete)], said: stable, disabled: ["/dom/a.html | x"]),
            settings: .init(rebuild: 10), goals: [.done(reason: "results of the stability run r2 are in")]),
        Row(name: "a requested rerun of changes that had their stability run gets no second one",
            sync: sync([first(), stability(.complete), Push(head: "h1", treeChanges: "c1", mode: .tests, reason: .requested, status: .complete,
                                                            revision: "r3", base: "b1")], said: stable + ["try-pushed r3", "results r3"]),
            goals: [.done(reason: "results of r3 are in")]),
        Row(name: "a stability run failing on infrastructure is retried as one, on its base",
            sync: sync([first(), stability(.infraFailure)], said: ["try-pushed r1", "results r1", "try-pushed r2"]),
            goals: [.pushTry(stability(.planned, revision: nil, reason: .infraRetry))]),
    ]

    @Test(arguments: rows)
    func plans(_ row: Row) {
        #expect(DownstreamPlanner.plan(Self.approved, row.sync, settings: row.settings) == row.goals)
    }

    @Test func newChangesStartAgainWithAPlainRun() {
        var pr = Self.approved
        pr.head = "h2"; pr.treeChanges = "c2"
        let goals = DownstreamPlanner.plan(pr, Self.sync([Self.first(), Self.stability(.complete)], said: Self.stable), settings: Self.settings)
        #expect(goals == [.pushTry(Push(head: "h2", treeChanges: "c2", mode: .tests, reason: .changes))])
    }

    @Test func aStabilityRunsMetadataComesFromItsResultsAndThoseOfTheFirstRunOfTheSameChanges() {
        var earlier = Self.first()
        earlier.head = "h0"; earlier.revision = "r0"
        let sync = Self.sync([earlier, Self.first(), Self.stability(.complete)])
        #expect(sync.resultRevisions(ofRunAt: 2) == ["r1", "r2"])
        #expect(sync.resultRevisions(ofRunAt: 1) == ["r1"], "a first run's alone")
        #expect(Self.sync([earlier, Self.stability(.complete)]).resultRevisions(ofRunAt: 1) == ["r2"], "no first run of these changes")
    }
}
