import Foundation
import SyncCore

/// A signed-in session of the local Treeherder (Django's `sessionid` cookie), with its CSRF token.
struct LocalTreeherderSession {
    var email: String
    var csrf: String
    var expires: Date
}

/// Who may sign in to the local Treeherder, and for how long a session lasts.
struct LocalTreeherderAuth: Sendable {
    /// Access token → the e-mail address its id token must carry.
    var users: [String: String]
    /// Treeherder's `AUTH_MAX_SESSION_AGE_SECONDS` (45 minutes).
    var sessionSeconds: Double
}

extension LocalTreeherder {
    /// An id token for `email` as the local Treeherder takes it: a JSON Web Token whose claims hold
    /// `email`, `sub` and `exp`; its signature is not checked (the real one checks Auth0's).
    public static func idToken(email: String, expires: Date) -> String {
        JSONWebToken.make(header: #"{"alg":"RS256","typ":"JWT","kid":"local"}"#,
                          claims: #"{"email":"\#(email)","sub":"ad|Mozilla-LDAP|\#(email)","exp":\#(Int(expires.timeIntervalSince1970))}"#,
                          signature: "local-signature")
    }

    /// Ends every session, as when they outlive `AUTH_MAX_SESSION_AGE_SECONDS`: the next note is 403.
    public func expireSessions() {
        store.state.withLock { $0.treeherderSessions.removeAll() }
    }

    /// Treeherder's `GET /api/auth/login/` (its `AuthBackend`): `Authorization: Bearer <access token>`,
    /// `Id-Token: <JWT>` and `Access-Token-Expires-At: <epoch seconds>` give a session (cookies
    /// `sessionid`, HttpOnly, and `csrftoken`) ending at the earlier expiry, at most `sessionSeconds`
    /// from now, and the user as JSON; anything wrong is 403 with `{"detail": …}`, as DRF answers
    /// an `AuthenticationFailed` under session authentication.
    static func signIn(_ request: ServerRequest, _ state: inout QueueState, auth: LocalTreeherderAuth) -> ServerReply {
        guard request.method == "GET" else { return detail(405, "Method \"\(request.method)\" not allowed.") }
        guard let authorization = request.header("Authorization") else { return detail(403, "Authorization header is expected") }
        let parts = authorization.split(separator: " ")
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return detail(403, "Authorization header must be of form 'Bearer {token}'")
        }
        guard let idToken = request.header("Id-Token") else { return detail(403, "Id-Token header is expected") }
        struct Claims: Decodable { var email: String; var exp: Int }
        guard let claims = JSONWebToken.claims(idToken, as: Claims.self) else { return detail(403, "Unable to decode the Id token header") }
        guard let email = auth.users[String(parts[1])], email == claims.email else {
            return detail(403, "Incorrect claims: please check the audience and issuer")
        }
        let now = Date()
        guard Double(claims.exp) > now.timeIntervalSince1970 else { return detail(403, "Id token is expired") }
        guard let raw = request.header("Access-Token-Expires-At") else { return detail(403, "Access-Token-Expires-At header is expected") }
        guard let accessExpiry = Int(raw) else { return detail(403, "Access-Token-Expires-At header value is invalid") }
        let seconds = Double(min(accessExpiry, claims.exp)) - now.timeIntervalSince1970
        guard seconds > 0 else { return detail(403, "Session expiry time has already passed!") }
        let session = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let csrf = (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "")
        let lasts = min(seconds, auth.sessionSeconds)
        state.treeherderSessions[session] = LocalTreeherderSession(email: email, csrf: csrf, expires: now.addingTimeInterval(lasts))
        let user = JSON.object([("username", .string("mozilla-ldap/\(email)")), ("is_superuser", .bool(false)),
                                ("is_staff", .bool(false)), ("email", .string(email))])
        guard case .respond(let status, var headers, let body) = QueueStore.json(200, user) else { return detail(500, "Server Error") }
        headers.append(("Set-Cookie", "csrftoken=\(csrf); Max-Age=31449600; Path=/; SameSite=Lax"))
        headers.append(("Set-Cookie", "sessionid=\(session); HttpOnly; Max-Age=\(Int(lasts)); Path=/; SameSite=Lax"))
        return .respond(status: status, headers: headers, body: body)
    }

    /// Who sent `request`: the e-mail address of its live session, or DRF's 403 for an unsafe
    /// method: no live session (`Authentication credentials were not provided.`), or a failed CSRF
    /// check (the `X-CSRFToken` header must repeat the session's `csrftoken` cookie).
    static func visitor(_ request: ServerRequest, _ state: QueueState) -> Visitor {
        var cookies: [String: String] = [:]
        for pair in (request.header("Cookie") ?? "").split(separator: ";") {
            let field = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if field.count == 2 { cookies[field[0]] = field[1] }
        }
        guard let id = cookies["sessionid"], let session = state.treeherderSessions[id], session.expires > Date() else {
            return .refused(detail(403, "Authentication credentials were not provided."))
        }
        guard let cookie = cookies["csrftoken"] else { return .refused(detail(403, "CSRF Failed: CSRF cookie not set.")) }
        guard let header = request.header("X-CSRFToken") else { return .refused(detail(403, "CSRF Failed: CSRF token missing.")) }
        guard header == cookie, cookie == session.csrf else { return .refused(detail(403, "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.")) }
        return .user(session.email)
    }

    enum Visitor {
        case user(String)
        case refused(ServerReply)
    }
}
