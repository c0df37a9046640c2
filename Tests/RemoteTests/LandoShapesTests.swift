import Foundation
import LocalServices
import Remote
import TestSupport
import Testing

/// The local Lando's answers, byte for byte where Lando's tests pin them (`headless_api/tests`):
/// the keys, the `detail` of authentication and validation errors, the `details` of Lando's own.
@Suite("Local Lando answer shapes")
struct LandoShapesTests {
    @Test func answersUseLandosKeysAndErrorBodies() throws {
        let world = try LandoWorld()
        let http = HTTPClient(retryPolicy: .never)
        func send(_ method: HTTPMethod, _ path: String, token: String? = LandoWorld.token, body: String? = nil)
            throws -> (status: Int, json: [String: Any]) {
            var request = HTTPRequest(method, world.lando.url + path, body: body.map { Array($0.utf8) } ?? [])
            if let token { request.headers["Authorization"] = "Bearer \(token)" }
            if body != nil { request.headers["Content-Type"] = "application/json" }
            let response = try http.sendReturningErrorStatus(request)
            return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:])
        }

        let unauthorized = try send(.get, "/api/job/1", token: nil)
        #expect(unauthorized.status == 401 && unauthorized.json["detail"] as? String == "Unauthorized")
        #expect(try send(.get, "/api/job/1", token: "api-bad-key").status == 401)
        let missing = try send(.get, "/api/job/12345")
        #expect(missing.status == 404 && missing.json["details"] as? String == "Automation job 12345 does not exist.")
        let empty = try send(.post, "/api/repo/\(LandoWorld.repository)", body: #"{"actions": []}"#)
        #expect(empty.status == 422 && empty.json["detail"] is [Any])
        let badAction = try send(.post, "/api/repo/\(LandoWorld.repository)", body: #"{"actions": [{"action": "bad-action"}]}"#)
        #expect(badAction.status == 422)

        let patch = Data(try world.commit(["README": "v\n"], message: "Bug 2 - v")).base64EncodedString()
        let created = try send(.post, "/api/repo/\(LandoWorld.repository)",
                               body: #"{"actions": [{"action": "add-commit-base64", "content": "\#(patch)"}]}"#)
        #expect(created.status == 202)
        #expect(Set(created.json.keys) == ["job_id", "status_url", "message", "created_at", "status", "error"])
        #expect(created.json["job_id"] as? Int == 1 && created.json["status"] as? String == "SUBMITTED")
        #expect(created.json["message"] as? String == "Job is in the SUBMITTED state.")
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect((created.json["created_at"] as? String).flatMap(iso.date(from:)) != nil, "an ISO 8601 timestamp, as pydantic writes it")

        let trees = try send(.get, "/api/treestatus/trees2", token: nil)
        let tree = try #require((trees.json["result"] as? [[String: Any]])?.first)
        #expect(Set(tree.keys) == ["category", "log_id", "message_of_the_day", "reason", "status", "tags", "tree"])
        let unknownHash = try send(.get, "/api/git2hg/firefox/abcdef0", token: nil)
        #expect(unknownHash.status == 404 && unknownHash.json["error"] as? String == "No commits found")
        #expect(try send(.get, "/api/hg2git/firefox/abcdef0", token: nil).status == 404, "hg2git takes 40 hex digits only")
        let info = try send(.get, "/api/repoinfo/\(LandoWorld.repository)")
        #expect(Set(info.json.keys) == ["repo_url", "branch_name", "scm_level"])
    }
}
