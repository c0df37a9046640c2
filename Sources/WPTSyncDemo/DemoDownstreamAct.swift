import Foundation
import LocalServices
import Remote
import Store
import SyncCore
import WPTSyncKit

/// The demo's downstream act (issue 12): a contributor opens an upstream PR from her fork and
/// GitHub delivers it, signed, to `wptsync serve`; the worker files its bug in the component that
/// owns its files (the demo Gecko's `testing/web-platform/moz.build`); a reviewer approves and the
/// worker pushes one try commit running only the PR's test; Gecko's decision task schedules it on
/// the local Taskcluster, the tasks finish, and the worker says the results on the bug; the
/// stability run and the landing of the PR's metadata follow (`DemoDownstreamAct+Metadata`).
struct DemoDownstreamAct {
    let world: DemoWorld
    let github: LocalGitHub
    let bugzilla: LocalBugzilla
    let taskcluster: LocalTaskcluster
    let webhooks: DemoWebhooks
    let journal: any DownstreamSyncStore
    let say: (String) -> Void
    /// Runs the worker until nothing is left, printing what it did.
    let drain: (String) throws -> Void

    static let contributorToken = "alice-token"
    static let reviewerToken = "bob-token"
    static let test = "css/css-grid/grid-gap.html"

    /// Steps `first` to `first + 4` of the timeline.
    func run(first step: Int) throws {
        try world.prepareGitTry()
        let repository = RepositoryName("web-platform-tests/wpt")!
        var alice = GitHubClient(apiBaseURL: github.baseURL, repository: repository, token: Token(Self.contributorToken))
        alice.headOwner = "alice"
        try github.addFork(owner: "alice", repositoryPath: world.fork)
        try world.pushUpstreamBranch("grid-gap", path: Self.test, contents: "<!doctype html>\n<title>grid gaps</title>\n",
                                     message: "Test grid gaps", to: world.fork)
        let created = try alice.createPullRequest(title: "Test grid gaps", head: BranchName("grid-gap")!).pullRequest
        let number = created.number
        let opened = try deliver("pull_request", action: "opened", number: number, client: alice)
        say("\(step). Alice opened PR #\(number) \"Test grid gaps\" from her fork, adding \(Self.test); GitHub delivered"
            + " `pull_request` (opened), signed, to wptsync serve at \(webhooks.url): \(opened); the worker:")
        try drain("the opened PR's delivery")
        guard let bug = bugzilla.bugs.first(where: { $0.fields["url"] == created.htmlURL }), bugzilla.bugs.count == 1,
              bug.fields["product"] == "Core", bug.fields["component"] == "Layout: Grid" else {
            throw Demo.StepFailed(description: "no bug for PR #\(number) in Core :: Layout: Grid (Bugzilla has \(bugzilla.bugs.map(\.fields)))")
        }
        guard try world.tryPushes().isEmpty else { throw Demo.StepFailed(description: "a try push before PR #\(number) was approved") }
        say("   → bug \(bug.id) \"\(bug.fields["summary"] ?? "")\" is filed in Core :: Layout: Grid (moz.build's BUG_COMPONENT"
            + " for css/css-grid); no try push until the PR is approved")

        let bob = GitHubClient(apiBaseURL: github.baseURL, repository: repository, token: Token(Self.reviewerToken))
        let review = try bob.approve(number, approverToken: Token(Self.reviewerToken))
        guard let approval = PullRequestReconciler.review(review) else { throw Demo.StepFailed(description: "the approval of PR #\(number) has no commit") }
        let approved = try deliver("pull_request_review", action: "submitted", number: number, client: bob, review: approval)
        say("\(step + 1). Bob approved PR #\(number); GitHub delivered `pull_request_review` (submitted): \(approved); the worker:")
        try drain("the approval's delivery")
        let pushes = try world.tryPushes()
        guard pushes.count == 1, let revision = pushes.first else {
            throw Demo.StepFailed(description: "PR #\(number) was approved but the try repository has \(pushes.count) try pushes")
        }
        let config = try world.tryTaskConfig(revision)
        let paths = try LocalTaskcluster.testPaths(tryTaskConfig: Array(config.utf8))
        guard paths == ["testing/web-platform/tests/" + Self.test] else {
            throw Demo.StepFailed(description: "try push \(revision.prefix(12)) runs \(paths), not only the PR's test")
        }
        guard comments(bug.id).contains(where: { $0.contains("revision=\(revision)") }) else {
            throw Demo.StepFailed(description: "bug \(bug.id) does not link try push \(revision.prefix(12))")
        }
        let landoJob = try journal.downstreamSync(pullRequest: number)?.tryPushes.last?.lando?.job
        if world.kind == .git, landoJob == nil {
            throw Demo.StepFailed(description: "try push \(revision.prefix(12)) did not go through Lando's try API")
        }
        let pushedTo = landoJob.map { "sent through Lando's try API as job \($0), forced to git try's branch `try`, " } ?? ""
        say("   → try push \(revision.prefix(12)) (\(pushedTo)on mozilla-central's tip) runs only \(paths.joined()); bug \(bug.id) links it")

        let scheduled = try runOnTaskcluster(revision)
        say("\(step + 2). Taskcluster ran the try push: decision task \(scheduled.decisionTaskID), \(scheduled.wptTasks.count)"
            + " web-platform-tests tasks, all finished (\"column gap\" fails on linux/opt only); the worker:")
        try drain("the try results")
        let results = comments(bug.id).first { $0.contains("results are in") }
        guard let results, results.contains("0 of 1 test, 1 of 2 subtests"),
              try journal.downstreamSync(pullRequest: number)?.tryPushes.map(\.status) == [.complete, .running] else {
            throw Demo.StepFailed(description: "bug \(bug.id) does not say the results of try push \(revision.prefix(12)): \(comments(bug.id))")
        }
        say("   → bug \(bug.id) says:")
        for line in results.split(separator: "\n") { say("       " + line) }
        say("   → a stability try push of the same test follows, each task 10 times")
        try stabilityRun(step: step + 3, number: number, bug: bug.id)
        try landWithMetadata(step: step + 4, number: number, bug: bug.id)
    }

    /// GitHub's delivery of PR `number` as `client` now reads it (with `review`, a review's).
    private func deliver(_ event: String, action: String, number: Int, client: GitHubClient,
                         review: ReviewObservation? = nil) throws -> String {
        guard let pr = PullRequestReconciler.observation(try client.pullRequest(number)) else {
            throw Demo.StepFailed(description: "the local GitHub shows PR #\(number) without a head")
        }
        let (status, answer) = try webhooks.deliver(event, action: action, review.map { .review(pr, $0) } ?? .pullRequest(pr, action: action))
        guard status == 202 else { throw Demo.StepFailed(description: "wptsync serve answered the \(event) delivery \(status): \(answer)") }
        return "\(status) \(answer)"
    }

    func comments(_ bug: Int) -> [String] { bugzilla.bug(bug)?.comments ?? [] }
}
