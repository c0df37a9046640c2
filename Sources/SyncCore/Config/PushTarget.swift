/// Where `wpt.upstream_push_url` points, as far as opening a pull request from it goes.
public enum PushTarget: Sendable, Equatable {
    /// A repository on a git host: `https://HOST/OWNER/REPO(.git)`, `ssh://git@HOST/OWNER/REPO(.git)`
    /// or `git@HOST:OWNER/REPO(.git)`.
    case hosted(host: String, owner: String, name: String)
    /// A local path, a `file://` URL, or a URL on a loopback host: a test or demo setup.
    case local
    /// Anything else (another URL shape, or a host path that is not `OWNER/REPO`).
    case other

    /// Reads `url` (never fails: what it cannot read is `.other`).
    public static func of(_ url: String) -> PushTarget {
        if url.hasPrefix("/") || url.hasPrefix("./") || url.hasPrefix("../") || url.hasPrefix("file://") { return .local }
        guard let (host, fullPath) = split(url) else { return url.contains(":") ? .other : .local }
        if isLoopback(host) { return .local }
        var path = Substring(fullPath)
        if path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !host.isEmpty, parts.count == 2, isAccountName(parts[0]), !parts[1].isEmpty else { return .other }
        return .hosted(host: host.lowercased(), owner: String(parts[0]), name: String(parts[1]))
    }

    /// Whether `name` can be a GitHub account (the owner half of `owner:branch`): ASCII letters,
    /// digits and `-`, not empty.
    public static func isAccountName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == UInt8(ascii: "-") }
    }

    /// The host and the path after it of a `scheme://` URL or an scp-like `user@host:path`.
    private static func split(_ url: String) -> (host: String, path: String)? {
        if let scheme = url.firstRange(of: "://") {
            guard ["https", "http", "ssh", "git"].contains(url[..<scheme.lowerBound].lowercased()) else { return ("", "") }
            let rest = url[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            let host: Substring
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = authority[authority.index(after: authority.startIndex)..<close]
            } else {
                host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            }
            return (String(host), String(rest[authorityEnd...].dropFirst()))
        }
        guard let colon = url.firstIndex(of: ":"), let at = url[..<colon].lastIndex(of: "@") else { return nil }
        return (String(url[url.index(after: at)..<colon]), String(url[url.index(after: colon)...]))
    }

    /// Whether `host` is this machine: `localhost`, `127.x.y.z` or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The git host of the GitHub whose API is at `apiBaseURL`: `github.com` for
    /// `https://api.github.com`, the API's own host for GitHub Enterprise (`…/api/v3`), nil when it
    /// has no host or the host is loopback (a local GitHub).
    public static func gitHost(ofAPI apiBaseURL: String) -> String? {
        guard let host = split(apiBaseURL)?.host.lowercased(), !host.isEmpty, !isLoopback(host) else { return nil }
        return host == "api.github.com" ? "github.com" : host
    }
}

extension Config {
    /// Whether upstreaming runs: `[github]` and `wpt.upstream_push_url` are both set.
    public var isUpstreaming: Bool { github != nil && wpt?.upstreamPushURL != nil }
    /// Whether landing runs: `[landing]` is set and enabled.
    public var isLanding: Bool { landing?.enabled == true }

    /// The owner of the fork pull request heads live in (`owner:branch`): `wpt.fork_owner`, else the
    /// owner in `wpt.upstream_push_url` when it differs from `github.repo`'s. Nil when branches are
    /// pushed to the upstream repository itself (or upstreaming is not configured).
    public var pullRequestHeadOwner: String? {
        guard let github, let wpt, let url = wpt.upstreamPushURL else { return nil }
        let upstreamOwner = github.repository.split(separator: "/").first.map(String.init) ?? ""
        let owner: String
        if let forkOwner = wpt.forkOwner {
            owner = forkOwner
        } else if case .hosted(_, let urlOwner, _) = PushTarget.of(url) {
            owner = urlOwner
        } else {
            return nil
        }
        return owner.lowercased() == upstreamOwner.lowercased() ? nil : owner
    }
}
