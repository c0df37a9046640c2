import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import Store
import SyncCore
import WPTSyncKit

/// The sheriff page of `wptsync serve`: `GET /autoland` shows the autoland requests waiting for a
/// person and the audit log; people sign in with a personal token (`POST /autoland/login`); a
/// sheriff's `POST /autoland/<id>/land|reject` goes through `decideAutoland`, as `wptsync autoland
/// land|reject` does, acting as the signed-in user. Every POST needs the session's CSRF token (the
/// sign-in form a cookie's); without it, 403 and nothing changes.
public struct SheriffQueue: Sendable {
    let config: Config
    private let opened: OpenedApplication
    let template: MustacheTemplate
    let logger: Logger
    let redactor: Redactor
    /// Decisions run here, one at a time, off the server's threads (a landing pushes); access
    /// checks (which may ask LDAP) run off them too, but do not wait for a landing.
    private let decisions = DispatchQueue(label: "wptsync.serve.sheriff")

    static let sessionCookie = "wptsync_session"
    static let loginCookie = "wptsync_login"
    static let maxFormBytes = 65536

    /// The page for `config`'s `[autoland]`, or nil without it.
    public init?(config: Config, logger: Logger) throws {
        guard config.autoland != nil else { return nil }
        self.config = config; self.logger = logger
        opened = OpenedApplication(config: config)
        template = try MustacheTemplate(string: SheriffPageTemplate.page)
        redactor = WPTSyncKit.Application.secretRedactor(for: config)
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/autoland") { request, _ in await self.page(request) }
        router.post("/autoland/login") { request, _ in await self.signIn(request) }
        router.post("/autoland/logout") { request, _ in await self.signOut(request) }
        router.post("/autoland/:id/land") { request, context in await self.decide(request, context, reject: false) }
        router.post("/autoland/:id/reject") { request, context in await self.decide(request, context, reject: true) }
    }

    /// The fields of the page's forms.
    struct Form: Decodable {
        var csrf, token, reason, loginCSRF: String?

        enum CodingKeys: String, CodingKey {
            case csrf, token, reason
            case loginCSRF = "login_csrf"
        }
    }

    // MARK: - Handlers

    func page(_ request: Request, status: HTTPResponse.Status = .ok, notice: String? = nil, error: String? = nil) async -> Response {
        var notice = notice
        if notice == nil, let id = request.uri.queryParameters.get("decided", as: Int64.self),
           let decided = try? store().autolandRequest(id: id) {
            notice = SheriffQueueView.outcome(decided)
        }
        let session = signedIn(request)
        var readOnlyBecause: String?
        var mayDecide = false
        if let user = session?.session.user {
            do {
                try await off(on: .global()) { try application().checkSheriff(user) }
                mayDecide = true
            } catch { readOnlyBecause = redactor("\(error)") }
        }
        let loginToken = request.cookies[Self.loginCookie]?.value ?? SheriffCredentials.random()
        let view: SheriffQueueView
        do {
            view = SheriffQueueView.make(queued: try store().autolandRequests(phases: [.queued]), recent: try store().latestAutolandRequests(limit: 100),
                                         links: SheriffLinks(config: config), user: session?.session.user, mayDecide: mayDecide,
                                         readOnlyBecause: readOnlyBecause, formToken: session?.session.csrf ?? loginToken,
                                         notice: notice, error: error)
        } catch {
            return Self.plain(.internalServerError, "the autoland requests cannot be read: \(error)")
        }
        var response = Self.html(status, template.render(view))
        if session == nil, request.cookies[Self.loginCookie] == nil {
            response.setCookie(cookie(Self.loginCookie, loginToken, request, maxAge: nil))
        }
        return response
    }

    func signIn(_ request: Request) async -> Response {
        guard let form = await Self.form(request) else { return await page(request, status: .badRequest, error: "the form could not be read") }
        guard let expected = request.cookies[Self.loginCookie]?.value, let sent = form.loginCSRF, SheriffCredentials.same(expected, sent) else {
            return await refuse(request, "the sign-in form did not come from this page (its CSRF token does not match): reload the page and sign in again")
        }
        let user: String?
        do { user = try store().tokenUser(hash: SheriffCredentials.hash(form.token ?? "")) } catch {
            return Self.plain(.internalServerError, "the tokens cannot be read: \(error)")
        }
        guard let user else { return await refuse(request, "this token is not valid: it was mistyped, replaced or revoked") }
        let id = SheriffCredentials.random()
        let session = SheriffSession(user: user, csrf: SheriffCredentials.random(), expires: Date().addingTimeInterval(SheriffCredentials.sessionLifetime))
        do { try store().startSession(hash: SheriffCredentials.hash(id), session, now: Date()) } catch {
            return Self.plain(.internalServerError, "the session cannot be saved: \(error)")
        }
        logger.notice("signed in on the sheriff page", metadata: ["user": "\(user)"])
        var response = Response.redirect(to: "/autoland", type: .normal)
        response.setCookie(cookie(Self.sessionCookie, id, request, maxAge: Int(SheriffCredentials.sessionLifetime)))
        response.setCookie(cookie(Self.loginCookie, "", request, maxAge: 0))
        return response
    }

    func signOut(_ request: Request) async -> Response {
        guard let (hash, _) = await checkedPost(request) else { return await refuse(request, Self.forged) }
        try? store().endSession(hash: hash)
        var response = Response.redirect(to: "/autoland", type: .normal)
        response.setCookie(cookie(Self.sessionCookie, "", request, maxAge: 0))
        return response
    }

    func decide(_ request: Request, _ context: BasicRequestContext, reject: Bool) async -> Response {
        guard let (_, session, form) = await checkedPostWithForm(request) else { return await refuse(request, Self.forged) }
        guard let id = context.parameters.get("id", as: Int64.self) else { return await page(request, status: .notFound, error: "no such request") }
        let decision: SheriffDecision = reject ? .reject(reason: form.reason ?? "") : .land
        do {
            let (decided, notes) = try await off(on: decisions) {
                try application().decideAutoland(id: id, decision, as: session.user)
            }
            logger.notice("sheriff decision", metadata: ["user": "\(session.user)", "request": "\(id)", "phase": "\(decided.state.phase.rawValue)",
                                                         "notes": "\(notes.joined(separator: "; "))"])
            return Response.redirect(to: "/autoland?decided=\(id)", type: .normal)
        } catch let error as AutolandCommandError {
            let status: HTTPResponse.Status = switch error {
            case .notASheriff: .forbidden
            case .noSuchRequest, .notConfigured: .notFound
            case .notQueued: .conflict
            case .emptyReason, .unknownAccount: .badRequest
            }
            return await page(request, status: status, error: redactor(error.description))
        } catch {
            logger.error("sheriff decision failed", metadata: ["user": "\(session.user)", "request": "\(id)", "error": "\(error)"])
            return await page(request, status: .internalServerError, error: redactor("request \(id): \(error)"))
        }
    }

    // MARK: - Sessions

    static let forged = "refused: this form needs a signed-in session and its CSRF token (sign in again from this page)"

    /// The session the request's cookie names, with the hash it is stored under.
    func signedIn(_ request: Request) -> (hash: String, session: SheriffSession)? {
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty else { return nil }
        let hash = SheriffCredentials.hash(id)
        return (try? store().session(hash: hash, now: Date())).flatMap { $0.map { (hash, $0) } }
    }

    /// A POST from a signed-in session whose form carries that session's CSRF token; nil otherwise.
    func checkedPostWithForm(_ request: Request) async -> (hash: String, session: SheriffSession, form: Form)? {
        guard let (hash, session) = signedIn(request), let form = await Self.form(request),
              let csrf = form.csrf, SheriffCredentials.same(csrf, session.csrf) else { return nil }
        return (hash, session, form)
    }

    func checkedPost(_ request: Request) async -> (hash: String, session: SheriffSession)? {
        await checkedPostWithForm(request).map { ($0.hash, $0.session) }
    }

    func refuse(_ request: Request, _ why: String) async -> Response {
        logger.warning("sheriff page: POST refused", metadata: ["path": "\(request.uri.path)", "why": "\(why)"])
        return await page(request, status: .forbidden, error: why)
    }

    /// A cookie only this site's pages send (SameSite=Strict), out of scripts' reach (HttpOnly),
    /// marked Secure when the proxy in front says the page came over https.
    func cookie(_ name: String, _ value: String, _ request: Request, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/autoland",
               secure: request.headers[Self.forwardedProto]?.lowercased() == "https", httpOnly: true, sameSite: .strict)
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    // MARK: - Plumbing

    static func form(_ request: Request) async -> Form? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxFormBytes) else { return nil }
        return try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer))
    }

    func off<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            frameOptions: "DENY",
            contentTypeOptions: "nosniff",
            referrerPolicy: "same-origin",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

extension SheriffQueue {
    /// The application (its store and secrets), made on first use and kept; an outage at start
    /// costs the page, not `serve` and its webhooks, and the next request tries again.
    func application() throws -> WPTSyncKit.Application { try opened.application() }

    func store() throws -> any RecordStore { try application().journal }

    final class OpenedApplication: @unchecked Sendable {
        let config: Config
        private let lock = NSLock()
        private var opened: WPTSyncKit.Application?

        init(config: Config) { self.config = config }

        func application() throws -> WPTSyncKit.Application {
            try lock.withLock {
                if let opened { return opened }
                let application = try WPTSyncKit.Application(config: config)
                opened = application
                return application
            }
        }
    }
}
