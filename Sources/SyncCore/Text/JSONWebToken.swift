import Foundation

/// The claims of a JSON Web Token (RFC 7519: `header.claims.signature`, each base64url), read
/// without checking the signature: what a client needs to know of its own token (its `exp`).
public enum JSONWebToken {
    /// The token's claims decoded as `Claims`, or nil when `token` is not a JWT holding them.
    public static func claims<Claims: Decodable>(_ token: String, as type: Claims.Type) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { try? JSONDecoder().decode(type, from: $0) }
    }

    /// A token of these three parts (JSON texts and a signature), each base64url without padding.
    public static func make(header: String, claims: String, signature: String) -> String {
        [header, claims, signature].map { part in
            Data(part.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }.joined(separator: ".")
    }
}
