import Foundation
import Synchronization
import SyncCore

/// What Treeherder's sign-in (`GET /api/auth/login/`) takes, as its own UI sends it: an Auth0
/// access token (`Authorization: Bearer`) and OpenID Connect id token (`Id-Token`).
public struct TreeherderCredentials: Sendable {
    public var accessToken: Token
    /// A JSON Web Token; its `exp` claim is sent as `Access-Token-Expires-At` (Treeherder ends the
    /// session at the earlier of the two, so the id token's is never later than what it keeps).
    public var idToken: Token

    public init(accessToken: Token, idToken: Token) { self.accessToken = accessToken; self.idToken = idToken }

    /// The id token's `exp` (seconds since the epoch), read without checking the signature: that is Treeherder's job.
    public func idTokenExpiry() throws(RemoteError) -> Int {
        struct Claims: Decodable { var exp: Int }
        guard let claims = JSONWebToken.claims(idToken.revealedValue, as: Claims.self) else {
            throw .decoding(type: "the Treeherder id token", field: "exp", message: "not a JSON Web Token with an `exp` claim")
        }
        return claims.exp
    }
}

/// A signed-in Treeherder session, shared by the copies of a client: the cookies the sign-in set
/// (Django's `sessionid` and `csrftoken`), dropped when Treeherder no longer takes them. The
/// credentials are read at each sign-in, so a token file replaced since is used without a restart.
public final class TreeherderSession: Sendable {
    private let read: @Sendable () throws(RemoteError) -> TreeherderCredentials
    /// Django's CSRF cookie; its value goes back in `X-CSRFToken`.
    static let csrfCookie = "csrftoken"
    private let cookies = Mutex<[String: String]?>(nil)

    /// A session that always signs in with `credentials`.
    public convenience init(credentials: TreeherderCredentials) { self.init { () throws(RemoteError) in credentials } }

    /// A session that signs in with what `read` gives at that moment.
    public init(reading read: @escaping @Sendable () throws(RemoteError) -> TreeherderCredentials) { self.read = read }

    /// The credentials a sign-in would use now.
    public func credentials() throws(RemoteError) -> TreeherderCredentials { try read() }

    /// The session's cookies, signing in with `signIn` first when there are none.
    func current(signIn: (TreeherderCredentials) throws(RemoteError) -> [String: String]) throws(RemoteError) -> [String: String] {
        if let known = cookies.withLock({ $0 }) { return known }
        let fresh = try signIn(try read())
        cookies.withLock { $0 = fresh }
        return fresh
    }

    /// Forgets `stale` (unless another thread already signed in again).
    func drop(_ stale: [String: String]) {
        cookies.withLock { if $0 == stale { $0 = nil } }
    }

    /// The `name=value` pairs of `Set-Cookie` fields (RFC 6265 §5.2: the pair ends at the first `;`).
    static func cookies(_ setCookie: [String]) -> [String: String] {
        var jar: [String: String] = [:]
        for field in setCookie {
            let pair = field.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { jar[name] = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces) }
        }
        return jar
    }
}
