import Foundation

/// A note on a job, as the local Treeherder keeps it.
public struct LocalTreeherderNote: Sendable, Equatable {
    public var id: Int
    public var project: String
    public var jobID: Int
    public var failureClassificationID: Int
    public var text: String
    /// The e-mail address of the session that added it.
    public var who: String
}

extension LocalTreeherder {
    /// The notes on job `jobID`, in the order added.
    public func notes(jobID: Int) -> [LocalTreeherderNote] {
        store.state.withLock { $0.notes.filter { $0.jobID == jobID } }
    }

    /// Treeherder's note endpoint: `GET /api/project/<repo>/note/?job_id=N` lists a job's notes
    /// (`job_id` mandatory, an integer); `POST` with `{"job_id", "failure_classification_id", "text"}`
    /// in a signed-in session, with its CSRF token (`visitor`), adds one and answers
    /// `{"message": "note stored for job N"}`.
    static func note(project: String, _ request: ServerRequest, _ state: inout QueueState) -> ServerReply {
        switch request.method {
        case "GET":
            guard let raw = request.query["job_id"] else { return detail(400, "The job_id parameter is mandatory for this endpoint") }
            guard let jobID = Int(raw) else { return detail(400, "The job_id parameter must be an integer") }
            guard state.order.indices.contains(jobID - 1) else { return detail(404, "No job with id: \(jobID)") }
            let notes = state.notes.filter { $0.project == project && $0.jobID == jobID }.map { note in
                JSON.object([("id", .int(note.id)), ("job_id", .int(note.jobID)),
                             ("failure_classification_id", .int(note.failureClassificationID)),
                             ("created", .string("2026-01-01T00:00:00")), ("who", .string(note.who)), ("text", .string(note.text))])
            }
            return QueueStore.json(200, .array(notes))
        case "POST":
            let who: String
            switch visitor(request, state) {
            case .user(let email): who = email
            case .refused(let reply): return reply
            }
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            guard let body, let jobID = body["job_id"] as? Int, let classification = body["failure_classification_id"] as? Int else {
                return detail(400, "job_id and failure_classification_id are required integers")
            }
            guard state.order.indices.contains(jobID - 1) else { return detail(404, "No job with id: \(jobID)") }
            guard (1...8).contains(classification) else { return detail(400, "Unknown failure_classification_id \(classification)") }
            state.notes.append(LocalTreeherderNote(id: state.notes.count + 1, project: project, jobID: jobID,
                                                   failureClassificationID: classification, text: body["text"] as? String ?? "", who: who))
            return QueueStore.json(200, .object([("message", .string("note stored for job \(jobID)"))]))
        default:
            return detail(405, "Method \"\(request.method)\" not allowed.")
        }
    }
}
