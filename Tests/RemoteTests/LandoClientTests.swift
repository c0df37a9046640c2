import Foundation
import LocalServices
import Remote
import SyncCore
import TestSupport
import Testing

/// `LandoClient` reading jobs of the local Lando as wptsync's passes do (one read each, never a
/// wait): through DEFERRED to LANDED, and through the faults its retry policy handles (or must not).
@Suite("Lando client")
struct LandoClientTests {
    @Test func aJobReadOncePerPassShowsDeferredWhileTheTreeIsClosedThenLanded() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "line 1\nline 2\nline 3\n"], message: "Bug 2 - grow README")
        world.lando.setTree("autoland", status: "closed", reason: "bustage")
        let sleeper = RecordingSleeper()
        let client = world.client(sleeper: sleeper)
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        var seen = [try client.job(submitted.id).status]
        world.lando.runPendingJobs()  // tree closed: DEFERRED
        seen.append(try client.job(submitted.id).status)
        world.lando.runPendingJobs()  // still closed: DEFERRED again
        seen.append(try client.job(submitted.id).status)
        world.lando.setTree("autoland", status: "open")
        world.lando.runPendingJobs()
        let job = try client.job(submitted.id)

        #expect(job.status == .landed)
        #expect(seen == [.submitted, .deferred, .deferred])
        #expect(sleeper.delays.isEmpty, "a read never waits")
        #expect(try git(["rev-parse", "autoland^{tree}"], in: world.bare) == world.cloneTree())
    }

    @Test func aJobCancelledWhileDeferredNeverLands() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "c\n"], message: "Bug 2 - c")
        world.lando.setTree("autoland", status: "closed")
        let base = try world.landed()
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        world.lando.runPendingJobs()
        #expect(try client.job(submitted.id).status == .deferred)
        #expect(world.lando.cancel(job: submitted.id))
        world.lando.setTree("autoland", status: "open")
        world.lando.runPendingJobs()
        #expect(try client.job(submitted.id).status == .cancelled)
        #expect(try world.landed() == base, "a cancelled job never lands")
        #expect(world.lando.cancel(job: submitted.id) == false)
    }

    @Test func aFailedJobIsAResultWithLandosMessage() throws {
        let world = try LandoWorld()
        let patch = try world.commit(["README": "line 1\nchanged\n"], message: "Bug 2 - change")
        world.lando.moveBaseBeforeNextJob(repository: LandoWorld.repository, path: "README", contents: "line 1\nother\n")
        let client = world.client()
        let submitted = try client.submit(repository: LandoWorld.repository, patches: [patch])
        world.lando.runPendingJobs()
        let job = try client.job(submitted.id)
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

        let job = try client.job(submitted.id)
        #expect(job.status == .landed)
        let reads = world.lando.requests.filter { $0.path == "/api/job/\(submitted.id)" }.map(\.status)
        #expect(reads == [503, 503, 0, 200])
        #expect(sleeper.delays.count == 3, "three backoffs between the reads of one pass")
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
