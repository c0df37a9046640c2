import Foundation

/// A push as Treeherder reports it (`GET /api/project/<repo>/push/?revision=<rev>`).
public struct TreeherderPush: Sendable, Equatable, Decodable {
    public var id: Int
    public var revision: String
    public var author: String
    /// Seconds since the epoch.
    public var pushTimestamp: Int
}

/// One job of a push (`GET /api/jobs/?push_id=<id>`).
public struct TreeherderJob: Sendable, Equatable {
    public var id: Int
    public var jobTypeName: String
    public var platform: String?
    public var platformOption: String?
    /// pending, running, completed.
    public var state: String
    /// success, testfailed, busted, exception, retry, usercancel, superseded, unknown.
    public var result: String
    public var taskID: String
    public var retryID: Int?
    /// 1 not classified … 8 intermittent needs bug.
    public var failureClassificationID: Int?
    public var tier: Int?
}

/// Reads pushes and their jobs from Treeherder. Blocking and `Sendable`; retries from `http`.
public struct TreeherderClient: Sendable {
    /// The site, e.g. `https://treeherder.mozilla.org`; the API is under `/api`.
    public let baseURL: String
    public var http: HTTPClient
    /// Limit for each HTTP exchange.
    public var timeout: Duration = .seconds(60)
    /// Pages of jobs followed at most, against a server whose `next` never ends.
    public var maxPages = 1000
    /// The signed-in session notes are added in; nil without credentials (reading needs none).
    public let session: TreeherderSession?

    public init(baseURL: String, http: HTTPClient = HTTPClient(), credentials: TreeherderCredentials? = nil) {
        self.init(baseURL: baseURL, http: http, session: credentials.map { TreeherderSession(credentials: $0) })
    }

    /// A client whose notes go through `session` (nil: reading only).
    public init(baseURL: String, http: HTTPClient = HTTPClient(), session: TreeherderSession?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.session = session
    }

    /// The push of `revision` to `repository` (`try`, …), or nil when Treeherder has none (yet).
    public func push(repository: String, revision: String) throws(RemoteError) -> TreeherderPush? {
        struct Listing: Decodable { var results: [TreeherderPush] }
        let url = "\(baseURL)/api/project/\(GitHubClient.escapeQuery(repository))/push/?revision=\(GitHubClient.escapeQuery(revision))"
        return try http.sendJSON(request(url), as: Listing.self).results.first { $0.revision == revision }
    }

    /// Every job of push `pushID`, following `next` page links.
    public func jobs(pushID: Int) throws(RemoteError) -> [TreeherderJob] {
        var jobs: [TreeherderJob] = []
        var next: String? = "\(baseURL)/api/jobs/?push_id=\(pushID)"
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= maxPages else {
                throw .decoding(type: "JobPage", field: "next", message: "more than \(maxPages) pages of jobs for push \(pushID)")
            }
            let page = try http.sendJSON(request(url), as: JobPage.self)
            jobs += try page.jobs(source: Redaction.url(url))
            next = page.next
        }
        return jobs
    }

    private func request(_ url: String) -> HTTPRequest {
        var request = HTTPRequest(.get, url, timeout: timeout)
        request.headers["Accept"] = "application/json"
        return request
    }
}

/// A page of `/api/jobs/`: rows are arrays whose columns `job_property_names` names.
struct JobPage: Decodable {
    var next: String?
    var jobPropertyNames: [String]
    var results: [[Scalar]]

    enum Scalar: Decodable {
        case string(String), number(Double), bool(Bool), null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .string(try container.decode(String.self)) }
        }

        var string: String? { if case .string(let text) = self { text } else { nil } }
        var int: Int? { if case .number(let number) = self { Int(exactly: number) } else { nil } }
    }

    func jobs(source: String) throws(RemoteError) -> [TreeherderJob] {
        let column = Dictionary(jobPropertyNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for required in ["id", "job_type_name", "state", "result", "task_id"] where column[required] == nil {
            throw .decoding(type: "jobs of \(source)", field: "job_property_names", message: "no '\(required)' column")
        }
        return try results.enumerated().map { (index, row) throws(RemoteError) -> TreeherderJob in
            func value(_ name: String) -> Scalar? { column[name].flatMap { $0 < row.count ? row[$0] : nil } }
            guard let id = value("id")?.int, let name = value("job_type_name")?.string, let state = value("state")?.string,
                  let result = value("result")?.string, let task = value("task_id")?.string else {
                throw .decoding(type: "jobs of \(source)", field: "results[\(index)]",
                                message: "id, job_type_name, state, result or task_id missing or of the wrong type")
            }
            return TreeherderJob(
                id: id, jobTypeName: name, platform: value("platform")?.string, platformOption: value("platform_option")?.string,
                state: state, result: result, taskID: task, retryID: value("retry_id")?.int,
                failureClassificationID: value("failure_classification_id")?.int, tier: value("tier")?.int)
        }
    }
}
