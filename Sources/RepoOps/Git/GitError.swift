import CGit2

/// Everything that can go wrong in the libgit2 wrapper.
public enum GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A libgit2 call failed. `code` is its negative return value (`GIT_ENOTFOUND` is -3),
    /// `errorClass` its `GIT_ERROR_*` class and `message` the text of `git_error_last()`.
    case libgit2(operation: String, code: Int32, errorClass: Int32, message: String)
    /// A string that is not 40 hexadecimal digits was given where an object id was expected.
    case invalidOid(String)
    /// A path that cannot be stored in a tree (empty component, NUL byte, `.`, `..`, ...).
    case invalidPath(GitPath, reason: String)
    /// A commit message containing a NUL byte, which libgit2 cannot write.
    case invalidMessage(reason: String)
    /// A compare-and-swap reference update found the reference at another value (`nil`: absent).
    case referenceMoved(name: String, expected: Oid?, actual: Oid?)
    /// The remote refused some references of a push; `rejections` maps ref names to reasons.
    case pushRejected(url: String, rejections: [String: String])
    /// The remote refused the configured credentials. `url` carries no credentials.
    case authenticationFailed(url: String)
    /// `revision` names no commit in the repository at `repository`.
    case unknownRevision(String, repository: String)
    /// A commit's `field` is not UTF-8 from byte `offset` on: wptsync does not guess its encoding.
    case notUTF8(commit: String, field: String, offset: Int)

    /// libgit2's return code, when the error came from libgit2.
    public var code: Int32? {
        if case .libgit2(_, let code, _, _) = self { return code }
        return nil
    }

    /// True when libgit2 reported `GIT_ENOTFOUND`.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    public var description: String {
        switch self {
        case let .libgit2(operation, code, errorClass, message):
            return "\(operation) failed: \(message) (libgit2 code \(code), class \(errorClass))"
        case .invalidOid(let text):
            return "invalid object id '\(text)': expected 40 hexadecimal digits"
        case let .invalidPath(path, reason):
            return "invalid path '\(path)': \(reason)"
        case .invalidMessage(let reason):
            return "invalid commit message: \(reason)"
        case let .referenceMoved(name, expected, actual):
            return "reference \(name) moved: expected \(expected?.hex ?? "absent"), found \(actual?.hex ?? "absent")"
        case let .pushRejected(url, rejections):
            let list = rejections.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            return "push to \(url) rejected: " + list.joined(separator: "; ")
        case .authenticationFailed(let url):
            return "authentication to \(url) failed"
        case let .unknownRevision(revision, repository):
            return "unknown revision '\(revision)' in git repository \(repository)"
        case let .notUTF8(commit, field, offset):
            return "commit \(commit) has a \(field) that is not UTF-8 (invalid byte at offset \(offset)); it cannot be read as a Gecko changeset"
        }
    }

    /// The error for a failed libgit2 call; must run on the thread of that call,
    /// before any other libgit2 call, because `git_error_last()` is thread-local.
    static func lastError(code: Int32, operation: String) -> GitError {
        var message = "unknown libgit2 error"
        var errorClass: Int32 = 0
        if let last = git_error_last() {
            if let text = last.pointee.message { message = String(cString: text) }
            errorClass = last.pointee.klass
        }
        return .libgit2(operation: operation, code: code, errorClass: errorClass, message: message)
    }

    /// This error with every occurrence of `secret` masked, for errors of authenticated operations.
    func redacting(_ secret: String?) -> GitError {
        guard let secret, !secret.isEmpty,
              case let .libgit2(operation, code, errorClass, message) = self else { return self }
        return .libgit2(operation: operation.replacingAll(secret, with: "***"), code: code,
                        errorClass: errorClass, message: message.replacingAll(secret, with: "***"))
    }
}

/// Throws `GitError.libgit2` when a libgit2 return code is negative.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw GitError.lastError(code: code, operation: operation()) }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
