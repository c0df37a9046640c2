import Foundation
import SyncCore

extension LandoClient {
    /// Submits one try push to Lando's try API (`POST /api/try/patches`, the headless API's token
    /// accepted): `patches` (`git format-patch` output, in order) applied by Lando on `base` (40 hex
    /// digits, a commit of `baseVCS`, `git` or `hg`; Lando maps it to the try repository's kind) and
    /// pushed to its try repository `repository` (`repo_name`). Lando answers 201 `{"id"}`: the id
    /// of a landing job, followed with `tryJob`. Like `submit`, never sent twice here.
    public func submitTry(repository: String, base: String, baseVCS: String, patches: [[UInt8]]) throws(RemoteError) -> Int {
        struct Body: Encodable {  // snake_case on the wire
            var repoName: String, baseCommit: String, baseCommitVcs: String
            var patchFormat = "git-format-patch"
            var patches: [String]
        }
        struct Answer: Decodable { var id: Int }
        var post = try HTTPRequest.json(.post, "\(url)/api/try/patches", body: Body(
            repoName: repository, baseCommit: base, baseCommitVcs: baseVCS, patches: patches.map { Data($0).base64EncodedString() }))
        post.timeout = timeout
        post.authorize(with: token)
        return try http.sendJSON(post, as: Answer.self).id
    }

    /// A try job as Lando's `GET /landing_jobs/<id>/` shows it: its status, its error, and once
    /// LANDED the try commit (`commitID`).
    public func tryJob(_ id: Int) throws(RemoteError) -> LandoJob {
        var request = HTTPRequest(.get, "\(url)/landing_jobs/\(id)/", timeout: timeout)
        request.headers["Accept"] = "application/json"
        request.authorize(with: token)
        return try http.sendJSON(request, as: LandoJob.self)
    }
}
