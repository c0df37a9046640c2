import Foundation

/// A note on a job (`/api/project/<repo>/note/`): how sheriffs annotate and classify failures.
public struct TreeherderNote: Sendable, Equatable, Decodable {
    public var id: Int
    public var jobId: Int
    /// 1 not classified … 8 intermittent needs bug.
    public var failureClassificationId: Int
    public var text: String
    public var who: String?
}

extension TreeherderClient {
    /// The notes on job `jobID` of `repository`, oldest first.
    public func notes(repository: String, jobID: Int) throws(RemoteError) -> [TreeherderNote] {
        let url = "\(baseURL)/api/project/\(GitHubClient.escapeQuery(repository))/note/?job_id=\(jobID)"
        var request = HTTPRequest(.get, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        return try http.sendJSON(request, as: [TreeherderNote].self)
    }

    /// Adds a note to job `jobID` (classification 1, not classified, unless given).
    public func addNote(repository: String, jobID: Int, text: String, classification: Int = 1) throws(RemoteError) {
        struct Body: Encodable { var jobId: Int; var failureClassificationId: Int; var text: String }
        var request = HTTPRequest(.post, "\(baseURL)/api/project/\(GitHubClient.escapeQuery(repository))/note/", timeout: timeout)
        request.headers["Accept"] = "application/json"
        request.headers["Content-Type"] = "application/json"
        do {
            request.body = Array(try JSONCoding.encoder().encode(Body(jobId: jobID, failureClassificationId: classification, text: text)))
        } catch {
            throw .decoding(type: "TreeherderNote", field: "", message: "cannot encode: \(error)")
        }
        _ = try http.send(request)
    }
}
