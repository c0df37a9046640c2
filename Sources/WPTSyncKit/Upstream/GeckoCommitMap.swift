import Foundation
import Remote
import SyncCore

/// Pairs Gecko's git commits with their hg changesets through Lando's commit map (`[commit_map]`).
/// Known pairs are kept for the process's life; an unknown pair (the mirror has not caught up) is
/// nil and asked again next time; an unreachable Lando throws.
final class GeckoCommitMap: @unchecked Sendable {
    private let client: LandoClient
    private let repository: String
    private let lock = NSLock()
    private var known: [String: String] = [:]

    init(_ settings: CommitMapSettings, http: HTTPClient = HTTPClient(retryPolicy: .never)) {
        client = LandoClient(url: settings.landoURL, token: Token(""), http: http)
        repository = settings.repository
    }

    /// Nil without `[commit_map]`.
    static func make(_ config: Config, cancellation: Cancellation? = nil) -> GeckoCommitMap? {
        guard let settings = config.commitMap else { return nil }
        var http = HTTPClient.cancellable(by: cancellation)
        http.retryPolicy = .never
        return GeckoCommitMap(settings, http: http)
    }

    /// The hg changeset of git commit `git`.
    func hg(forGit git: String) throws(RemoteError) -> String? {
        try pair("git:" + git.lowercased()) { () throws(RemoteError) in try client.hgHash(git: git, repo: repository) }
    }

    /// The git commit of hg changeset `hg`.
    func git(forHg hg: String) throws(RemoteError) -> String? {
        try pair("hg:" + hg.lowercased()) { () throws(RemoteError) in try client.gitHash(hg: hg, repo: repository) }
    }

    private func pair(_ key: String, ask: () throws(RemoteError) -> String?) throws(RemoteError) -> String? {
        if let answer = lock.withLock({ known[key] }) { return answer }
        guard let answer = try ask()?.lowercased(), answer.count == 40, answer.allSatisfy(\.isHexDigit) else { return nil }
        lock.withLock { known[key] = answer }
        return answer
    }
}
