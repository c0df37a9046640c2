import Crypto
import Foundation
import Store
import SyncCore

/// The secrets of the sheriff page: personal tokens, session ids and CSRF tokens, all 256 random
/// bits (swift-crypto's generator). Tokens and session ids are stored only as their SHA-256.
public enum SheriffCredentials {
    /// How long a session lasts after signing in.
    public static let sessionLifetime: TimeInterval = 8 * 3600
    static let tokenPrefix = "wptsync_"

    /// 256 random bits, base64url without padding (cookie- and form-safe).
    static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The SHA-256 of `secret`, in hex: what the store keeps.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether two secrets are equal, in time that does not depend on where they differ
    /// (their digests are compared, with swift-crypto's constant-time digest comparison).
    static func same(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }

    /// Issues a new personal token for `user` (a login or an e-mail address, as in the groups file
    /// or LDAP), replacing any earlier one and ending its sessions. The token itself is returned
    /// once and never stored.
    public static func issueToken(for user: String, store: any SheriffAccessStore, now: Date = Date()) throws -> (token: String, replaced: Bool) {
        guard HookInput.isUserName(user) else { throw SheriffPageError.badUser(user) }
        let token = tokenPrefix + random()
        return (token, try store.issueToken(user: user, hash: hash(token), at: now))
    }

    /// Revokes `user`'s token and ends their sessions.
    public static func revokeToken(for user: String, store: any SheriffAccessStore) throws {
        guard HookInput.isUserName(user) else { throw SheriffPageError.badUser(user) }
        guard try store.revokeToken(user: user) else { throw SheriffPageError.noToken(user) }
    }
}

/// What the sheriff page or `wptsync token` refused, and why.
public enum SheriffPageError: Error, CustomStringConvertible {
    case badUser(String)
    case noToken(String)

    public var description: String {
        switch self {
        case .badUser(let user): "\"\(ControlCharacters.escaped(user))\" is not a login or an e-mail address"
        case .noToken(let user): "\(user) has no token (wptsync token issue \(user))"
        }
    }
}
