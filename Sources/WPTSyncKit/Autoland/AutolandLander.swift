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
        if let reason = try closedReason(tree) { return .treeClosed(reason: reason) }
        switch try build(request, onto: tip, clone: clone, source: source) {
        case .decided(let attempt):
            return attempt
        case .built(let node):
            try built(.built(node: node))
            return try push(node, clone: clone, destination: destination)
        }
    }

    /// Why Treestatus says `tree` is closed; nil when open or not configured.
    func closedReason(_ tree: String) throws -> String? {
        guard let base = settings.treestatusURL else { return nil }
        let status = try TreestatusClient(url: base + "/" + tree).status()
        return status.isOpen ? nil : status.reason.flatMap { $0.isEmpty ? nil : $0 } ?? status.status
    }

    /// A request rebased in memory onto `base` in the clone, or what decides it without a push.
    enum Build { case built(node: String), decided(LandingAttempt) }

    /// Commits `request`'s changesets the tree lacks onto `base` in the clone (not pushed): the
    /// tree already has them all, try no longer has them, they conflict, or the node of the last commit.
    func build(_ request: AutolandRequest, onto base: String, clone: LandingClone, source: HgRepository) throws -> Build {
        let nodes = AutolandLanding.toLand(request.nodes, treeHas: clone.contains)
        guard !nodes.isEmpty else { return .decided(.alreadyLanded(node: request.nodes.last ?? base)) }
        let stripped = try nodes.filter { node in
            try !(node.count == 40 && node.allSatisfy(\.isHexDigit)) || source.nodes("id(\(node))").isEmpty
        }
        guard stripped.isEmpty else { return .decided(.stripped(nodes: stripped)) }
        switch try ChangesetRebase(source: source, target: clone.hg).rebase(nodes, onto: base) {
        case .conflict(let files):
            return .decided(.conflict(files: files))
        case .commits(let commits):
            guard let node = try clone.commit(commits, onto: base).last else { return .decided(.alreadyLanded(node: base)) }
            return .built(node: node)
        }
    }

    /// Pushes `node` (and its ancestors) from the clone.
    func push(_ node: String, clone: LandingClone, destination: String) throws -> LandingAttempt {
        switch try clone.push(node, to: destination) {
        case .pushed, .nothingToPush: .pushed(node: node)
        case .lostRace(let message): .lostRace(message: redactor(message))
        case .failed(let message): .pushFailed(message: redactor(message))
        }
    }
}
