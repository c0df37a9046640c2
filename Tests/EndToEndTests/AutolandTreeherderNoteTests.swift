import Foundation
import LocalServices
import Remote
import Store
import SyncCore
import Testing
import TestSupport

/// The note on the jobs that failed again is added in a Treeherder session wptsync signs in to with
/// its tokens, as Treeherder takes notes from no one else; wrong or missing tokens leave the request
/// queued for the sheriffs, say why on its record, and show the tokens nowhere.
@Suite("Autoland: Treeherder notes from a signed-in session", .serialized)
struct AutolandTreeherderNoteTests {
    static let note = "autoland held this push for the sheriffs: failed again after retrigger"

    /// Pushes a request whose retrigger fails again, processes it, and returns it (queued).
    func queueRequest(_ w: AutolandLandingWorld) throws -> AutolandRequest {
        let pushed = try w.pushToTry()
        let run = try w.failOnceAndRetrigger(pushed.tip)
        w.queue.setState(try w.retrigger(run).taskID, .failed)
        try w.world.wptsync(["process"])
        let queued = try w.request()
        #expect(queued.state.phase == .queued)
        #expect(w.comments.contains { $0.hasPrefix("Autoland: \(run.failed.label) failed again after retrigger; the request waits for a sheriff.") })
        return queued
    }

    func requests(_ w: AutolandLandingWorld, _ method: String, _ path: String) -> [RecordedRequest] {
        w.queue.requests.filter { $0.method == method && $0.path == path }
    }

    @Test func theHeldJobGetsItsNoteFromWptsyncsSession() throws {
        let w = try AutolandLandingWorld("autoland-th-note")
        let queued = try queueRequest(w)
        let failed = try #require(queued.state.failedJobs.first)
        let notes = w.treeherder.notes(jobID: failed.jobID)
        #expect(notes.map(\.text) == [Self.note] && notes.map(\.who) == [AutolandLandingWorld.treeherderUser])
        #expect(queued.treeherderNote == "added to job \(failed.jobID)")

        let signIns = requests(w, "GET", "/api/auth/login/")
        struct Claims: Decodable { var exp: Int }
        let expiry = try #require(JSONWebToken.claims(w.treeherderIDToken, as: Claims.self)).exp
        #expect(signIns.count == 1 && signIns.first?.status == 200)
        #expect(signIns.first?.headers["authorization"] == "Bearer \(AutolandLandingWorld.treeherderAccessToken)"
            && signIns.first?.headers["id-token"] == w.treeherderIDToken && signIns.first?.headers["access-token-expires-at"] == "\(expiry)")
        let posts = requests(w, "POST", "/api/project/try/note/")
        #expect(posts.map(\.status) == [200] && posts.first?.headers["x-csrftoken"] != nil)

        let show = try w.world.wptsync(["autoland", "show", "\(queued.id)"])
        #expect(show.contains("  Treeherder note: added to job \(failed.jobID)"), "\(show)")
        let check = try w.world.wptsync(["check-config"])
        #expect(check.contains("jobs that fail again get a Treeherder note, signed in with the tokens from file \(w.world.dir.sub("treeherder-access-token"))"
                               + " and file \(w.world.dir.sub("treeherder-id-token"))"), "\(check)")
        #expect(!check.contains("cannot sign in to Treeherder"))
        try writeFile(w.world.dir.sub("treeherder-id-token"), "not-a-jwt\n")
        let unusable = try w.world.wptsync(["check-config"])
        #expect(unusable.contains("warning: autoland cannot sign in to Treeherder here (`autoland.treeherder_access_token_*`, `autoland.treeherder_id_token_*`):"
                                  + " cannot decode the Treeherder id token at 'exp': not a JSON Web Token with an `exp` claim"), "\(unusable)")
    }

    @Test func wrongTokensLeaveTheRequestQueuedSayWhyAndShowNoToken() throws {
        let wrong = "th-wrong-token-9876543210"
        let w = try AutolandLandingWorld("autoland-th-wrong", treeherderAccess: wrong)
        let queued = try queueRequest(w)
        let failed = try #require(queued.state.failedJobs.first)
        #expect(w.treeherder.notes(jobID: failed.jobID).isEmpty)
        #expect(requests(w, "POST", "/api/project/try/note/").isEmpty, "no note is sent without a session")
        #expect(requests(w, "GET", "/api/auth/login/").map(\.status) == [403])
        let said = try #require(queued.treeherderNote)
        #expect(said.hasPrefix("not added: sign-in refused (GET \(w.treeherder.baseURL)/api/auth/login/ answered HTTP 403: ")
                && said.contains("Incorrect claims: please check the audience and issuer") && said.hasSuffix("check the configured credentials"), "\(said)")

        let log = try String(contentsOfFile: w.world.log, encoding: .utf8)
        #expect(log.contains("autoland request #\(queued.id): Treeherder note not added: sign-in refused"), "\(log.suffix(2000))")
        let show = try w.world.wptsync(["autoland", "show", "\(queued.id)"]) + w.world.wptsync(["autoland", "show", "\(queued.id)", "--json"])
        #expect(show.contains("Treeherder note: not added: sign-in refused") && show.contains("\"treeherder_note\""), "\(show)")
        let store = [w.world.store, w.world.store + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(store.contains("sign-in refused"), "the store holds the record")
        for (place, text) in [("the log", log), ("autoland show", show), ("the store", store)] {
            #expect(!text.contains(wrong) && !text.contains(w.treeherderIDToken), "a token in \(place)")
        }
    }

    @Test func withoutTokensTheNoteIsSkippedAndNothingIsSentToTreeherder() throws {
        let w = try AutolandLandingWorld("autoland-th-none", treeherderAccess: nil)
        let queued = try queueRequest(w)
        #expect(queued.treeherderNote?.hasPrefix("skipped: no Treeherder credentials configured (`autoland.treeherder_access_token_env` or `_file`") == true,
                "\(queued.treeherderNote ?? "nil")")
        #expect(requests(w, "GET", "/api/auth/login/").isEmpty && requests(w, "POST", "/api/project/try/note/").isEmpty)
        let check = try w.world.wptsync(["check-config"])
        #expect(check.contains("no Treeherder notes (no treeherder_access_token_* and treeherder_id_token_*)"), "\(check)")
    }
}
