import CCurl
import Foundation

/// libcurl's process-wide setup, run once on first use (global `let`s are initialised lazily and
/// exactly once).
let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Performs exactly one HTTP exchange: no retries, no caching, no status interpretation.
public protocol HTTPTransport: Sendable {
    func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure>
    /// Like `perform(_:)`, but an exchange in flight ends (a network failure) once `cancellation` is cancelled.
    func perform(_ request: HTTPRequest, cancellation: Cancellation?) -> Result<HTTPResponse, TransportFailure>
}

extension HTTPTransport {
    public func perform(_ request: HTTPRequest, cancellation: Cancellation?) -> Result<HTTPResponse, TransportFailure> { perform(request) }
}

/// `HTTPTransport` over libcurl's easy interface, one curl handle per request so that the value is
/// `Sendable` and calls from several threads do not share state. Calls block the calling thread.
///
/// GET and HEAD follow up to 5 redirects; other methods do not. Only `http` and `https` URLs are
/// allowed. curl does not forward `Authorization` to another host on redirect.
public struct CurlTransport: HTTPTransport {
    public init() {}

    public func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        perform(request, cancellation: nil)
    }

    /// libcurl asks `cancellation` at least once a second, so a cancelled exchange ends within about a second.
    public func perform(_ request: HTTPRequest, cancellation: Cancellation?) -> Result<HTTPResponse, TransportFailure> {
        func failure(_ message: String) -> Result<HTTPResponse, TransportFailure> {
            .failure(TransportFailure(kind: .network, message: message, requestSent: false))
        }
        guard curlGlobalInit == CURLE_OK else { return failure("libcurl initialisation failed") }
        guard let handle = curl_easy_init() else { return failure("cannot create a curl handle") }
        defer { curl_easy_cleanup(handle) }

        let headerLines = Self.headerLines(for: request)
        guard !headerLines.contains(where: { $0.contains("\r") || $0.contains("\n") }) else {
            return failure("a header name or value contains a line break")
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for line in headerLines { headerList = curl_slist_append(headerList, line) }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        errorBuffer.initialize(to: 0)

        let exchange = Exchange(cancellation: cancellation)
        let context = Unmanaged.passUnretained(exchange).toOpaque()

        // String options are copied by curl, so temporary C strings are fine here.
        wpts_curl_setopt_ptr(handle, CURLOPT_URL, request.url)
        wpts_curl_setopt_ptr(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        wpts_curl_setopt_ptr(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        wpts_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList)
        wpts_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        wpts_curl_setopt_ptr(handle, CURLOPT_ACCEPT_ENCODING, "")
        wpts_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        wpts_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(max(1, request.connectTimeout.milliseconds)))
        wpts_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(max(1, request.timeout.milliseconds)))
        wpts_curl_setopt_write(handle, collectBody)
        wpts_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, context)
        wpts_curl_setopt_header(handle, collectHeader)
        wpts_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, context)
        if cancellation != nil {
            wpts_curl_setopt_xferinfo(handle, abortWhenCancelled)
            wpts_curl_setopt_ptr(handle, CURLOPT_XFERINFODATA, context)
            wpts_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        }

        switch request.method {
        case .get, .head:
            wpts_curl_setopt_long(handle, request.method == .get ? CURLOPT_HTTPGET : CURLOPT_NOBODY, 1)
            wpts_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            wpts_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
        case .post, .put, .patch, .delete:
            // Always a body, possibly empty, so that curl sends Content-Length (GitHub wants it on PUT).
            wpts_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            if request.body.isEmpty {
                wpts_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBytes { _ = wpts_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            }
            wpts_curl_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }

        let code = withExtendedLifetime(exchange) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            var requestSize = 0
            wpts_curl_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
            let detail = String(cString: errorBuffer)
            return .failure(TransportFailure(
                kind: code == CURLE_OPERATION_TIMEDOUT ? .timeout : .network,
                message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                requestSent: requestSize > 0))
        }
        var status = 0
        wpts_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: exchange.headers, body: exchange.body))
    }

    /// The request's headers as curl lines, plus lines that stop curl adding its own defaults.
    static func headerLines(for request: HTTPRequest) -> [String] {
        // "Name;" is curl's way of sending a header with an empty value.
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        lines.append("Expect:")  // no `100-continue` round trip for larger bodies
        if request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        return lines
    }
}

/// What the callbacks collect during one `curl_easy_perform`, and what ends it early.
private final class Exchange {
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    let cancellation: Cancellation?

    init(cancellation: Cancellation?) { self.cancellation = cancellation }
}

/// Ends the exchange (`CURLE_ABORTED_BY_CALLBACK`) once its cancellation is cancelled.
private func abortWhenCancelled(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    return Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().cancellation?.reason == nil ? 0 : 1
}

private func collectBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    exchange.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

/// Called once per header line, status lines included; a new status line (after a redirect or an
/// interim `100 Continue`) starts a new header set.
private func collectHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        exchange.headers = HTTPHeaders()
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        exchange.headers.add(name, value)
    }
    return size * count
}
