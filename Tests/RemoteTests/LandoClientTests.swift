import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// `LandoClient` following jobs of the local Lando: through DEFERRED to LANDED, and through
/// the faults its retry policy handles (or must not).
@Suite("Lando client")
struct LandoClientTests {
    @Test func followingAJobWaitsWhileDeferredAndReadsItAgainUntilLanded() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "line 1\nline 2\nline 3\n"], message: "Bug 2 - grow README")
        world.lando.setTree("autoland", status: "closed", reason: "bustage")
        // Each wait of the client runs the next step of Lando's side instead of sleeping.
        let sleeper = ScriptedSleeper([
            { world.lando.runPendingJobs() },  // tree closed: DEFERRED
            { world.lando.runPendingJobs() },  // still closed: DEFERRED again
            { world.lando.setTree("autoland", status: "open"); world.lando.runPendingJobs() },
        ])
        let client = world.client(sleeper: sleeper)
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        var seen: [LandoJobStatus] = []
        let job = try client.follow(submitted.id) { seen.append($0.status) }

        #expect(job.status == .landed)
        #expect(seen == [.submitted, .deferred, .landed], "each new status once")
        #expect(sleeper.delays == [client.pollInterval, client.deferredInterval, client.deferredInterval])
        #expect(try git(["rev-parse", "autoland^{tree}"], in: world.bare) == world.cloneTree())
    }

    @Test func followingStopsAtTheDeadlineWithTheJobAsLastRead() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "y\n"], message: "Bug 2 - y")
        world.lando.setTree("autoland", status: "closed")
        let client = world.client(sleeper: ScriptedSleeper([{ world.lando.runPendingJobs() }]))
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        world.lando.runPendingJobs()
        let job = try client.follow(submitted.id, deadline: Date.distantPast)
        #expect(job.status == .deferred, "returned, not waited for, so that the caller stores it and comes back")
    }

    @Test func aJobCancelledWhileDeferredEndsTheFollowing() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "c\n"], message: "Bug 2 - c")
        world.lando.setTree("autoland", status: "closed")
        let base = try world.landed()
        let client = world.client(sleeper: ScriptedSleeper([
            { world.lando.runPendingJobs() },
            { world.lando.cancel(job: 1); world.lando.setTree("autoland", status: "open"); world.lando.runPendingJobs() },
        ]))
        let job = try client.follow(try client.submit(repository: LandoWorld.repository, patches: [patch]).id)
        #expect(job.status == .cancelled)
        #expect(try world.landed() == base, "a cancelled job never lands")
        #expect(world.lando.cancel(job: 1) == false)
    }

    @Test func aFailedJobIsAResultWithLandosMessage() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "line 1\nchanged\n"], message: "Bug 2 - change")
        world.lando.moveBaseBeforeNextJob(repository: LandoWorld.repository, path: "README", contents: "line 1\nother\n")
        let client = world.client(sleeper: ScriptedSleeper([{ world.lando.runPendingJobs() }]))
        let job = try client.follow(try client.submit(repository: LandoWorld.repository, patches: [patch]).id)
        #expect(job.status == .failed)
        #expect(job.error?.contains("error: patch failed: README:1") == true, "\(job.error ?? "")")
    }

    @Test func statusReadsAreRetriedThroughServerErrorsAndTimeouts() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "z\n"], message: "Bug 2 - z")
        world.lando.injectFault(.serverError(status: 503), count: 2, method: "GET", pathPrefix: "/api/job/")
        world.lando.injectFault(.hang, count: 1, method: "GET", pathPrefix: "/api/job/")
        let sleeper = RecordingSleeper()
        var client = world.client(sleeper: sleeper)
        client.timeout = .milliseconds(500)
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        world.lando.runPendingJobs()

        let job = try client.follow(submitted.id)
        #expect(job.status == .landed)
        let reads = world.lando.requests.filter { $0.path == "/api/job/\(submitted.id)" }.map(\.status)
        #expect(reads == [503, 503, 0, 200])
        #expect(sleeper.delays.count == 3, "three backoffs, no poll wait: the first answer was final")
    }

    @Test func aSubmissionIsNeverSentTwiceWhenItsOutcomeIsUnknown() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "w\n"], message: "Bug 2 - w")
        world.lando.injectFault(.serverErrorAfterActing(status: 502), count: 1, method: "POST")
        let client = world.client()
        #expect {
            try client.submit(repository: LandoWorld.repository, patches: [patch])
        } throws: { error in
            guard case .outcomeUnknown(let underlying) = error as? RemoteError else { return false }
            return underlying.httpStatus == 502
        }
        #expect(world.lando.requests.filter { $0.method == "POST" }.count == 1)
        #expect(world.lando.jobs.map(\.status) == [.submitted], "Lando recorded the job: the caller must look before sending again")
    }

    @Test func theTokenComesFromAFileOrTheEnvironment() throws {
        let dir = TempDir("lando-token")
        try writeFile(dir.sub("token"), "from-file-token\n")
        #expect(try LandoClient.token(file: dir.sub("token"), environment: [:]).revealedValue == "from-file-token")
        #expect(try LandoClient.token(file: nil, environment: ["LANDO_HEADLESS_API_TOKEN": "from-env"]).revealedValue == "from-env")
        #expect(throws: RemoteError.tokenUnavailable(source: "environment variable LANDO_HEADLESS_API_TOKEN", reason: "not set")) {
            try LandoClient.token(file: nil, environment: [:])
        }
    }
}
