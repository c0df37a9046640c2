import Foundation
import Remote

/// A sheriff's browser on `wptsync serve`'s page, as far as the demo needs one: it keeps the
/// cookies the page sets and sends back the CSRF token of the form it submits.
final class DemoSheriffPage {
    let base: String
    private var cookies: [String: String] = [:]
    private let http = HTTPClient(retryPolicy: .never)

    init(base: String) { self.base = base }

    /// Opens the page and submits its sign-in form with `token`.
    func signIn(token: String) throws {
        let page = try get()
        let answer = try post("/autoland/login", ["token": token, "login_csrf": try field("login_csrf", in: page)])
        guard cookies["wptsync_session"]?.isEmpty == false else {
            throw Demo.StepFailed(description: "signing in on the sheriff page failed (\(answer.status)): \(answer.bodyText)")
        }
    }

    /// Presses Land on request `id`.
    func land(_ id: Int64) throws {
        let page = try get()
        let answer = try post("/autoland/\(id)/land", ["csrf": try field("csrf", in: page)])
        guard answer.status == 303 || answer.status == 302 else {
            throw Demo.StepFailed(description: "the sheriff page answered Land on request #\(id) with \(answer.status): \(answer.bodyText)")
        }
    }

    private func get() throws -> String {
        let response = try send(HTTPRequest(.get, base + "/autoland", headers: headers()))
        guard response.status == 200 else { throw Demo.StepFailed(description: "GET \(base)/autoland answered \(response.status)") }
        return response.bodyText
    }

    private func post(_ path: String, _ form: [String: String]) throws -> HTTPResponse {
        var headers = headers()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        let body = form.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try send(HTTPRequest(.post, base + path, headers: headers, body: Array(body.utf8)))
    }

    private func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let response = try http.sendReturningErrorStatus(request)
        for line in response.headers.values(for: "Set-Cookie") {
            let pair = line.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            cookies[String(pair[0])] = String(pair[1])
        }
        return response
    }

    private func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        let cookie = cookies.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookie.isEmpty { headers["Cookie"] = cookie }
        return headers
    }

    /// The value of the first hidden input `name` of `page`.
    private func field(_ name: String, in page: String) throws -> String {
        guard let start = page.range(of: "name=\"\(name)\" value=\""),
              let end = page[start.upperBound...].firstIndex(of: "\"") else {
            throw Demo.StepFailed(description: "the sheriff page has no \(name) field")
        }
        return String(page[start.upperBound..<end])
    }
}
