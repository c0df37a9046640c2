/// `[downstream]`: what an upstream PR gets on the Gecko side (a bug, a try run), and where.
public struct DownstreamSettings: Sendable, Equatable {
    /// Where try commits are pushed (a path or an `hg push` URL).
    public var tryRepository: String
    /// wptsync's own clone of mozilla-central, where try commits are built (no work tree).
    public var clone: String
    /// Bugzilla's REST root, e.g. `https://bugzilla.mozilla.org/rest`.
    public var bugzillaURL: String
    public var bugzillaKey: SecretSource?
    /// Taskcluster's root URL, e.g. `https://firefox-ci-tc.services.mozilla.com`.
    public var taskclusterURL: String
    public var tryAfter: DownstreamPlanner.TryAfter
    public var maxTestPaths: Int
    /// The try task labels `try_task_config.json` selects.
    public var tasks: [String]
    /// Asked for information when a PR breaks the test runner.
    public var runnerContact: String?
    /// Each task of the stability run after a PR's first results runs this many times; nil: no
    /// stability run (`rebuild = 0`).
    public var rebuild: Int? = 10
    /// What a test or subtest giving several statuses in one configuration of the stability run becomes.
    public var unstable: Unstable = .disable
    /// Who is asked (needinfo) to triage what a stability run disabled, by bug component (`Core :: DOM`).
    public var triage: [String: String] = [:]
    /// Who is asked for a component `triage` does not name; nobody when nil.
    public var triageDefault: String?
    /// How often running try pushes are followed (the `downstream-results` periodic task).
    public var pollSeconds: Double = 300
    /// How often the PRs GitHub lists are compared with what the webhooks showed (the
    /// `pull-request-reconciliation` periodic task); 0 turns it off.
    public var reconcileSeconds: Double = 300
    public var enabled: Bool
    /// How try commits reach try: pushed to `tryRepository`, or submitted to Lando's try API.
    public var tryPush: TryPush = .direct
    /// Lando's try API when `tryPush` is `.lando`: its root and token, `repository` Lando's name of
    /// the try repository (`repo_name`, default `try`).
    public var lando: LandoSettings?

    /// `try_push`: how try commits reach the try repository.
    public enum TryPush: String, Sendable, Equatable, CaseIterable {
        /// Pushed to `try_repository` (hg push of a new head, or git push of the try branch).
        case direct
        /// Submitted to Lando's try API (`POST /api/try/patches`), which pushes them.
        case lando
    }

    /// Lando's default name of the try repository (`repo_name`).
    public static let defaultLandoTryRepository = "try"

    /// `unstable`: a `disabled: <bug URL>` entry, or an intermittent list of the statuses seen.
    public enum Unstable: String, Sendable, Equatable, CaseIterable {
        case disable, intermittent
    }

    /// The planner's part of these settings.
    public var planner: DownstreamPlanner.Settings {
        .init(tryAfter: tryAfter, runnerContact: runnerContact, rebuild: rebuild, triage: triage, triageDefault: triageDefault)
    }

    /// Production's selection: web-platform-tests on Linux and Windows, opt and debug.
    public static let defaultTasks = [
        "test-linux1804-64-qr/opt-web-platform-tests", "test-linux1804-64-qr/debug-web-platform-tests",
        "test-windows11-64-2009-qr/opt-web-platform-tests",
    ]

    public init(tryRepository: String, clone: String, bugzillaURL: String, bugzillaKey: SecretSource? = nil,
                taskclusterURL: String, tryAfter: DownstreamPlanner.TryAfter = .approval,
                maxTestPaths: Int = AffectedTests.defaultMaxTestPaths, tasks: [String] = DownstreamSettings.defaultTasks,
                runnerContact: String? = nil, enabled: Bool = true) {
        self.tryRepository = tryRepository; self.clone = clone; self.bugzillaURL = bugzillaURL
        self.bugzillaKey = bugzillaKey; self.taskclusterURL = taskclusterURL; self.tryAfter = tryAfter
        self.maxTestPaths = maxTestPaths; self.tasks = tasks; self.runnerContact = runnerContact; self.enabled = enabled
    }
}
