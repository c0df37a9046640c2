import Foundation

/// `GET /rest/bug?…` (Bug.search): the bugs matching every given parameter, by id.
extension BugzillaService {
    /// `id` takes a comma-separated list; `product`, `component`, `status`, `resolution`,
    /// `creator`, `url` and `type` match exactly; `summary` and `whiteboard` match a substring, as
    /// on Bugzilla. `limit` caps the answer; `include_fields` works as for one bug.
    func search(_ request: ServerRequest, _ state: BugzillaState) -> JSON {
        let query = request.query
        let exact = ["product", "component", "status", "resolution", "creator", "url", "type"]
        let ids = query["id"].map { Set($0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }) }
        let matches = state.bugs.keys.sorted().compactMap { state.bugs[$0] }.filter { bug in
            (ids?.contains(bug.id) ?? true)
                && exact.allSatisfy { name in query[name].map { bug.scalars[name] == $0 } ?? true }
                && ["summary", "whiteboard"].allSatisfy { name in
                    query[name].map { (bug.scalars[name] ?? "").localizedCaseInsensitiveContains($0) } ?? true
                }
        }
        let limit = query["limit"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? matches.count
        return .object([("bugs", .array(matches.prefix(limit).map { $0.json(include: Self.fields(request)) }))])
    }
}
