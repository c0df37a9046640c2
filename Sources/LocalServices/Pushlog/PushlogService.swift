import Foundation
import RepoOps
import Synchronization

/// Answers `json-pushes` requests from the push file and the repository (read through one
/// command server, one query at a time).
final class PushlogService: Sendable {
    let log: PushFile
    let faults = Mutex<[Fault]>([])
    let requests = Mutex<[RecordedRequest]>([])
    private let hg: Mutex<HgRepository>

    init(repositoryPath: String, log: PushFile) throws(LocalServiceError) {
        self.log = log
        do {
            hg = Mutex(try HgRepository(path: repositoryPath))
        } catch {
            throw .hg("\(error)")
        }
    }

    func handle(_ request: ServerRequest) -> ServerReply {
        let reply: ServerReply
        switch faults.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
        case .hang?:
            reply = .hang
        case .serverError(let status)?, .serverErrorAfterActing(let status)?:
            reply = Self.error(status, "Internal Server Error")
        case .errorMessage(let status, let message)?:
            reply = Self.error(status, message)
        case .rateLimited(let seconds)?, .secondaryRateLimit(let seconds)?:
            reply = .respond(status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", String(seconds))],
                             body: Array(#"{"error": "too many requests"}"#.utf8))
        case nil:
            reply = answer(request)
        }
        let status = if case .respond(let status, _, _) = reply { status } else { 0 }
        requests.withLock { $0.append(RecordedRequest(request, status: status)) }
        return reply
    }

    private func answer(_ request: ServerRequest) -> ServerReply {
        guard request.method == "GET" || request.method == "HEAD" else { return Self.error(405, "method not allowed") }
        guard request.path.hasSuffix("/json-pushes") else { return Self.error(404, "not found: \(request.path)") }
        guard request.query["version"] == "2" else { return Self.error(400, "only version=2 is served here") }
        do {
            let entries = try log.entries()
            let ids = try selectedIDs(request.query, entries: entries)
            let full = (request.query["full"] ?? "0") != "0"
            let pushes = try changesets(of: ids.map { entries[$0 - 1] }, full: full)
            // Python's json.dumps(sort_keys=True) orders push ids as text: "10" before "9".
            let members = zip(ids, pushes).map { (id, changesets) -> (String, JSON) in
                let entry = entries[id - 1]
                return (String(id), .object([("changesets", .array(changesets)), ("date", .int(Int(entry.date))),
                                             ("user", .string(entry.user))]))
            }.sorted { $0.0 < $1.0 }
            let body = JSON.object([("lastpushid", .int(entries.count)), ("pushes", .object(members))])
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.serialized().utf8))
        } catch let failure as Failure {
            return Self.error(failure.status, failure.message)
        } catch {
            return Self.error(500, "\(error)")
        }
    }

    /// The push ids the query selects, ascending.
    private func selectedIDs(_ query: [String: String], entries: [PushFile.Entry]) throws -> [Int] {
        let last = entries.count
        func number(_ name: String) throws -> Int? {
            guard let text = query[name] else { return nil }
            guard let value = Int(text) else { throw Failure(status: 400, message: "\(name) is not an integer: \(text)") }
            return value
        }
        func ids(after start: Int, through end: Int) -> [Int] {
            let low = max(start + 1, 1), high = min(end, last)
            return low <= high ? Array(low...high) : []
        }
        if let node = query["changeset"] { return [try pushID(containing: node, entries: entries)] }
        if query["fromchange"] != nil || query["tochange"] != nil {
            let start = try query["fromchange"].map { try pushID(containing: $0, entries: entries) } ?? 0
            let end = try query["tochange"].map { try pushID(containing: $0, entries: entries) } ?? last
            return ids(after: start, through: end)
        }
        let end = try number("endID") ?? last
        let start = try number("startID") ?? max(0, end - 10)
        return ids(after: start, through: end)
    }

    /// The id of the push that added `revision`; 404 when the repository or the log does not know it.
    private func pushID(containing revision: String, entries: [PushFile.Entry]) throws -> Int {
        let unknown = Failure(status: 404, message: "unknown revision '\(revision)'")
        guard let rev = try? revisions(of: [revision]).first?.rev else { throw unknown }
        let bounds = try revisions(of: entries.flatMap { [$0.firstNode, $0.lastNode] })
        let byNode = Dictionary(bounds.map { ($0.node, $0.rev) }, uniquingKeysWith: { a, _ in a })
        guard let index = entries.firstIndex(where: { entry in
            (byNode[entry.firstNode] ?? .max) <= rev && rev <= (byNode[entry.lastNode] ?? .min)
        }) else { throw unknown }
        return index + 1
    }

    private func revisions(of revisions: [String]) throws -> [(node: String, rev: Int)] {
        guard !revisions.isEmpty else { return [] }
        return try query(revisions.joined(separator: " + "), template: "{node} {rev}\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count == 2 ? Int(fields[1]).map { (String(fields[0]), $0) } : nil
        }
    }

    /// Each push's changesets in revision order: nodes, or pushlog's full objects.
    private func changesets(of pushes: [PushFile.Entry], full: Bool) throws -> [[JSON]] {
        guard !pushes.isEmpty else { return [] }
        let revset = pushes.map { "\($0.firstNode):\($0.lastNode)" }.joined(separator: " + ")
        let template = "{rev} {node} {p1node} {p2node} {dict(author, branch, desc, files, tags)|json}\n"
        var byRev: [Int: (node: String, json: JSON)] = [:]
        for line in try query(revset, template: template) {
            let fields = line.split(separator: " ", maxSplits: 4)
            guard fields.count == 5, let rev = Int(fields[0]),
                  let object = try? JSONSerialization.jsonObject(with: Data(fields[4].utf8)) as? [String: Any] else {
                throw Failure(status: 500, message: "unreadable hg log line: \(line.prefix(80))")
            }
            let node = String(fields[1])
            let parents = [String(fields[2])] + (fields[3].allSatisfy { $0 == "0" } ? [] : [String(fields[3])])
            func strings(_ key: String) -> JSON { .array((object[key] as? [String] ?? []).map(JSON.string)) }
            byRev[rev] = (node, .object([
                ("author", .string(object["author"] as? String ?? "")), ("branch", .string(object["branch"] as? String ?? "")),
                ("desc", .string(object["desc"] as? String ?? "")), ("files", strings("files")), ("node", .string(node)),
                ("parents", .array(parents.map(JSON.string))), ("tags", strings("tags")),
            ]))
        }
        let revs = Dictionary(byRev.map { ($0.value.node, $0.key) }, uniquingKeysWith: { a, _ in a })
        return try pushes.map { push in
            guard let first = revs[push.firstNode], let last = revs[push.lastNode] else {
                throw Failure(status: 500, message: "push \(push.firstNode.prefix(12)) is not in the repository")
            }
            return (first...last).compactMap { byRev[$0] }.map { full ? $0.json : .string($0.node) }
        }
    }

    private func query(_ revset: String, template: String) throws -> [Substring] {
        let result = try hg.withLock { try $0.run(["log", "-r", revset, "-T", template]) }
        guard result.status == 0 else {
            throw Failure(status: 404, message: result.errorString.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: result.output, as: UTF8.self).split(separator: "\n")
    }

    private static func error(_ status: Int, _ message: String) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/json")],
                 body: Array(JSON.object([("error", .string(message))]).serialized().utf8))
    }

    private struct Failure: Error {
        var status: Int
        var message: String
    }
}
