#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGit2

/// How to authenticate to a remote. Secrets are handed to libgit2 through its
/// credentials callback only; they never go into URLs, errors or descriptions.
public enum RemoteCredentials: Sendable, CustomStringConvertible {
    /// No authentication (filesystem paths, `file://` URLs, public fetches).
    case none
    /// HTTPS with a token as the password; GitHub accepts the username `x-access-token`.
    case token(String, username: String = "x-access-token")
    /// SSH with a key offered by the running ssh-agent.
    case sshAgent(username: String = "git")
    /// SSH with a key read from files.
    case sshKey(username: String = "git", privateKeyPath: String, publicKeyPath: String? = nil, passphrase: String? = nil)

    public var description: String {
        switch self {
        case .none: "no credentials"
        case .token(_, let username): "token for \(username) (redacted)"
        case .sshAgent(let username): "ssh-agent key for \(username)"
        case let .sshKey(username, privateKeyPath, _, _): "ssh key \(privateKeyPath) for \(username)"
        }
    }

    var secrets: [String] {
        switch self {
        case .token(let token, _): [token]
        case .sshKey(_, _, _, let passphrase?): [passphrase]
        default: []
        }
    }
}

extension GitRepository {
    /// Pushes `refspecs` to `url`: a filesystem path, a `file://`, `https://` or ssh URL.
    /// `+src:dst` forces, `:refs/heads/x` deletes. Throws `GitError.pushRejected` when the
    /// remote refuses any reference, and `GitError.authenticationFailed` when it refuses the credentials.
    /// An unforced update that is not a fast-forward fails before sending anything, with libgit2's
    /// `GIT_ENONFASTFORWARD` (-11), also when the remote's tip is not in this repository.
    public func push(to url: String, refspecs: [String], credentials: RemoteCredentials = .none) throws(GitError) {
        let session = RemoteSession(credentials: credentials)
        var options = git_push_options()
        try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "initialise push options")
        options.callbacks = session.callbacks()
        options.proxy_opts.type = GIT_PROXY_AUTO
        try withRemote(url, session) { remote in
            withStringArray(refspecs) { git_remote_push(remote, &$0, &options) }
        }
        if !session.rejections.isEmpty {
            throw .pushRejected(url: redactedURL(url), rejections: session.rejections)
        }
    }

    /// Fetches `refspecs` (such as `+refs/heads/*:refs/mirror/*`) from `url` and updates the
    /// local references they map to. Tags come only through refspecs. With `prune`, local
    /// references matching a refspec's destination that no longer exist remotely are deleted. A
    /// stale lock a killed process left on one of wptsync's own destinations (`lockOwnership`) is removed first.
    public func fetch(from url: String, refspecs: [String], credentials: RemoteCredentials = .none,
                      prune: Bool = false) throws(GitError) {
        let session = RemoteSession(credentials: credentials)
        var options = git_fetch_options()
        try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "initialise fetch options")
        options.callbacks = session.callbacks()
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        for destination in refspecs.compactMap({ $0.split(separator: ":").last.map(String.init) }) { removeStaleLock(of: destination) }
        if prune { removeStalePackedReferencesLock() }
        try withRemote(url, session) { remote in
            withStringArray(refspecs) { git_remote_fetch(remote, &$0, &options, "wptsync: fetch") }
        }
    }

    /// Runs `operation` on an in-memory remote for `url` and turns its result into errors
    /// that carry neither the credentials nor URL user information.
    private func withRemote(_ url: String, _ session: RemoteSession,
                            _ operation: (OpaquePointer?) -> Int32) throws(GitError) {
        let shownURL = redactedURL(url)
        let secrets = session.credentials.secrets + userInfo(of: url)
        var remote: OpaquePointer?
        do {
            try check(git_remote_create_anonymous(&remote, handle, url), "set up remote \(shownURL)")
        } catch {
            throw secrets.reduce(error) { $0.redacting($1) }
        }
        defer { git_remote_free(remote) }
        let code = withExtendedLifetime(session) { operation(remote) }
        if session.authenticationRejected { throw .authenticationFailed(url: shownURL) }
        do {
            try check(code, "transfer with \(shownURL)")
        } catch {
            throw secrets.reduce(error) { $0.redacting($1) }
        }
    }
}

/// State shared with libgit2's callbacks through their payload pointer.
private final class RemoteSession {
    let credentials: RemoteCredentials
    var secretRequests = 0
    var authenticationRejected = false
    var rejections: [String: String] = [:]

    init(credentials: RemoteCredentials) { self.credentials = credentials }

    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, _, allowedTypes, payload in
            Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue().acquire(out, allowedTypes)
        }
        callbacks.push_update_reference = { refname, status, payload in
            if let refname, let status {
                let session = Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue()
                session.rejections[String(cString: refname)] = String(cString: status)
            }
            return 0
        }
        return callbacks
    }

    /// Supplies credentials once; a second request means the remote refused them.
    private func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, _ allowed: UInt32) -> Int32 {
        func allows(_ type: git_credential_t) -> Bool { allowed & type.rawValue != 0 }
        switch credentials {
        case let .sshAgent(username), let .sshKey(username, _, _, _):
            if allows(GIT_CREDENTIAL_USERNAME) { return git_credential_username_new(out, username) }
        default: break
        }
        secretRequests += 1
        guard secretRequests == 1 else { return refuse() }
        switch credentials {
        case let .token(token, username) where allows(GIT_CREDENTIAL_USERPASS_PLAINTEXT):
            return git_credential_userpass_plaintext_new(out, username, token)
        case let .sshAgent(username) where allows(GIT_CREDENTIAL_SSH_KEY):
            return git_credential_ssh_key_from_agent(out, username)
        case let .sshKey(username, privateKey, publicKey, passphrase) where allows(GIT_CREDENTIAL_SSH_KEY):
            return git_credential_ssh_key_new(out, username, publicKey, privateKey, passphrase)
        default:
            return refuse()
        }
    }

    private func refuse() -> Int32 {
        authenticationRejected = true
        return GIT_EUSER.rawValue
    }
}

/// The `user:password` part of a URL such as `https://user:password@host/x`, if any.
private func userInfo(of url: String) -> [String] {
    guard let scheme = url.range(of: "://") else { return [] }
    let rest = url[scheme.upperBound...]
    let authority = rest.prefix { $0 != "/" }
    guard let at = authority.lastIndex(of: "@") else { return [] }
    return [String(authority[..<at])]
}

/// `url` without user information, for messages.
func redactedURL(_ url: String) -> String {
    userInfo(of: url).reduce(url) { $0.replacingAll($1 + "@", with: "") }
}
