/// `wptsync serve`: where it listens for GitHub's webhooks and how it checks them (`[serve]`).
public struct ServeSettings: Sendable, Equatable {
    public var listen: ListenAddress
    /// The webhook's shared secret, which signs each delivery (`X-Hub-Signature-256`).
    public var secret: SecretSource
    /// Larger bodies are refused (413); GitHub caps payloads at 25 MB.
    public var maxBodyBytes: Int
    /// Whether the file has a `[serve]` table (then `check-config` warns when the secret cannot be read).
    public var isConfigured = false

    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8765)
    public static let defaultSecret = SecretSource.environment("WPTSYNC_WEBHOOK_SECRET")
    public static let defaultMaxBodyBytes = 25 * 1024 * 1024

    public init(listen: ListenAddress = ServeSettings.defaultListen, secret: SecretSource = ServeSettings.defaultSecret,
                maxBodyBytes: Int = ServeSettings.defaultMaxBodyBytes) {
        self.listen = listen; self.secret = secret; self.maxBodyBytes = maxBodyBytes
    }
}

/// An IP address and TCP port to listen on: `127.0.0.1:8765`, `[::1]:8765`, `0.0.0.0:80`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The numeric address, without brackets.
    public var host: String
    /// 0 lets the system choose a free port (tests).
    public var port: Int

    public init(host: String, port: Int) { self.host = host; self.port = port }

    /// Parses `HOST:PORT` with a numeric IPv4 address or a bracketed IPv6 one; the reason it cannot
    /// be used otherwise.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return .failure(.shape) }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard isIPv6(host) else { return .failure(.host(String(host))) }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.shape) }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard isIPv4(host) else { return .failure(.host(String(host))) }
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber), let number = Int(port), number <= 65535 else {
            return .failure(.port(String(port)))
        }
        return .success(ListenAddress(host: String(host), port: number))
    }

    /// Whether only this machine can connect (127.0.0.0/8 or ::1).
    public var isLoopback: Bool { host.hasPrefix("127.") || host == "::1" }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
        }
    }

    static func isIPv6(_ text: Substring) -> Bool {
        text.contains(":") && text.count <= 45 && text.allSatisfy { $0 == ":" || $0 == "." || $0.isHexDigit }
    }
}

/// Why a listen address cannot be used.
public enum ListenAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case shape
    case host(String)
    case port(String)

    public var description: String {
        switch self {
        case .shape: "must be HOST:PORT with a numeric address, e.g. 127.0.0.1:8765 or [::1]:8765"
        case .host(let host): "has \"\(host)\" as its address: give a numeric IPv4 address (127.0.0.1) or a bracketed IPv6 one ([::1])"
        case .port(let port): "has \"\(port)\" as its port: give a number from 0 to 65535"
        }
    }
}
