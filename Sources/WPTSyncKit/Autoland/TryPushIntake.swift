import Foundation
import RepoOps
import Store
import SyncCore

/// A push to a try repository as the intake reads it, whatever keeps the repository.
struct TryPush {
    let repository: String
    /// The push's last changeset (git: the branch's new tip).
    let tip: String
    /// The pushing user, as the hook recorded it.
    let user: String?
    let source: any GeckoSource
    /// The pushed changesets, parents first; read only when the tip asks for autoland.
    let changesets: () throws -> [HgChangeset]
}

/// A push to a try repository (Mercurial or git): recorded as an autoland request when its tip
/// asks for one. A push that does not ask costs reading the tip (for Mercurial, two command-server
/// queries: the tip's node and its changelog entry).
struct TryPushIntake {
    let settings: AutolandSettings?
    let store: any AutolandStore
    /// Checks a new request's requester at once.
    var runner: AutolandRunner?
    var now: () -> Date = { Date() }

    func handle(_ push: HgPush, hg: HgRepository) throws -> String {
        try handle(TryPush(repository: push.repository, tip: push.lastNode, user: push.user, source: hg) {
            try hg.changesets("\(push.firstNode):\(push.lastNode)")
        })
    }

    func handle(_ push: TryPush) throws -> String {
        let prefix = "push to \(push.repository)"
        guard let settings else { return "\(prefix): autoland is not configured" }
        let tip = Self.tryChangeset(try push.source.changeset(push.tip))
        let (syntax, readsConfig) = AutolandIntake.mayAsk(tip: tip)
        guard syntax || readsConfig else { return "\(prefix): no autoland request" }
        if let known = try store.autolandRequest(repository: push.repository, tip: tip.node) {
            return "\(prefix): already autoland request #\(known.id) (\(known.state.phase.rawValue))"
        }
        let tryTaskConfig = readsConfig ? try Self.fileIfPresent(TryTaskConfig.fileName, at: tip.node, in: push.source) : nil
        let changesets = try push.changesets().map(Self.tryChangeset)
        guard let request = AutolandIntake.request(repository: push.repository, changesets: changesets, tryTaskConfig: tryTaskConfig,
                                                   user: push.user, settings: settings, at: now()) else {
            return "\(prefix): no autoland request"
        }
        let saved = try store.save(request)
        let who = saved.requester ?? "an unknown user"
        if saved.state.phase == .refused {
            return "\(prefix): autoland request #\(saved.id) from \(who) refused: \(saved.state.reason ?? "")"
        }
        let checked = try runner?.advance(saved).map { "\n  " + $0 }.joined() ?? ""
        return "\(prefix): autoland request #\(saved.id) from \(who) to land \(saved.nodes.count) changeset(s) on \(saved.tree ?? "?")" + checked
    }

    static func tryChangeset(_ changeset: HgChangeset) -> TryChangeset {
        TryChangeset(node: changeset.node, message: changeset.descriptionText,
                     files: changeset.files.map { String(decoding: $0.bytes, as: UTF8.self) })
    }

    /// The file's bytes at `revision`, or nil when the tip removed it.
    static func fileIfPresent(_ path: String, at revision: String, in source: any GeckoSource) throws -> [UInt8]? {
        let found = try source.files(at: revision, paths: [HgPath(path)])
        return found.values.first?.data
    }
}
