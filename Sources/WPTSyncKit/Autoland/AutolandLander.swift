import Foundation
import Remote
import RepoOps
import SyncCore

/// Lands a request: its changesets, read from the try repository, rebased in memory onto the
/// target tree's tip in wptsync's clone of that tree (no work tree), keeping author, date and
/// message, then pushed; a lost push race rebuilds on the new tip. The tip built is recorded
/// before the push, so an attempt after a crash finds it in the tree instead of landing twice.
struct AutolandLander {
    let settings: AutolandSettings
    /// Tree (a `[[gecko]]` name) → where it is pulled from and pushed to.
    let trees: [String: String]
    /// Try repository name → its path.
    let sources: [String: String]
    /// One clone per tree below it.
    let cloneDir: String
    let redactor: Redactor

    init(config: Config, settings: AutolandSettings, redactor: Redactor) {
        self.settings = settings
        trees = Dictionary(config.gecko.filter { settings.trees.contains($0.name) }.map { ($0.name, $0.path) }) { first, _ in first }
        sources = Dictionary(config.gecko.filter { $0.role == .try }.map { ($0.name, $0.path) }) { first, _ in first }
        cloneDir = settings.cloneDir ?? URL(fileURLWithPath: config.store.path).deletingLastPathComponent().appendingPathComponent("autoland-clones").path
        self.redactor = redactor
    }

    /// Tries to land `request` now, feeding every outcome to `record` (which steps the rules and
    /// saves, returning the saved request), holding the tree clone's lock throughout.
    func land(_ request: AutolandRequest, record: (AutolandInput) throws -> AutolandRequest) throws {
        let tree = request.tree ?? settings.defaultTree
        guard let destination = trees[tree], let sourcePath = sources[request.repository] else {
            _ = try record(.pushFailed(reason: "no [[gecko]] repository \(trees[tree] == nil ? tree : request.repository) in the configuration"))
            return
        }
        let clone = try LandingClone(path: cloneDir + "/" + tree, source: destination)
        defer { clone.close() }
        let source = try HgRepository(path: sourcePath)
        defer { source.close() }
        try clone.whileLocked {
            var current = request
            for number in 1...settings.maxPushAttempts {
                let attempt = try self.attempt(current, tree: tree, clone: clone, source: source, destination: destination) { current = try record($0) }
                let (input, again) = AutolandLanding.decide(attempt, number: number, maxAttempts: settings.maxPushAttempts)
                current = try record(input)
                if !again { return }
            }
        }
    }

    private func attempt(_ request: AutolandRequest, tree: String, clone: LandingClone, source: HgRepository, destination: String,
                         built: (AutolandInput) throws -> Void) throws -> LandingAttempt {
        let tip = try clone.refresh(from: destination)
        if let node = request.state.attemptNode, clone.contains(node) { return .alreadyLanded(node: node) }
        if let base = settings.treestatusURL {
            let status = try TreestatusClient(url: base + "/" + tree).status()
            guard status.isOpen else {
                return .treeClosed(reason: status.reason.flatMap { $0.isEmpty ? nil : $0 } ?? status.status)
            }
        }
        let nodes = AutolandLanding.toLand(request.nodes, treeHas: clone.contains)
        guard !nodes.isEmpty else { return .alreadyLanded(node: request.nodes.last ?? tip) }
        switch try ChangesetRebase(source: source, target: clone.hg).rebase(nodes, onto: tip) {
        case .conflict(let files):
            return .conflict(files: files)
        case .commits(let commits):
            guard let node = try clone.commit(commits, onto: tip).last else { return .alreadyLanded(node: tip) }
            try built(.built(node: node))
            switch try clone.push(node, to: destination) {
            case .pushed, .nothingToPush: return .pushed(node: node)
            case .lostRace(let message): return .lostRace(message: redactor(message))
            case .failed(let message): return .pushFailed(message: redactor(message))
            }
        }
    }
}
