import Foundation
import Remote
import RepoOps
import SyncCore

/// Lands a request: its changesets (or git commits), read from the try repository, rebased in
/// memory onto the target tree's tip in wptsync's clone of that tree (no work tree), keeping
/// author, date and message, then pushed, or for a git tree with `[landing] lando_url` submitted
/// to Lando; a lost push race (or a Lando job failed on a moved base) rebuilds on the new tip. The
/// tip built (and a Lando submission, then its job) is recorded before it is sent, so an attempt
/// after a crash finds it in the tree, or follows the job, instead of landing twice.
struct AutolandLander {
    let settings: AutolandSettings
    /// Tree (a `[[gecko]]` name) → its repository, pulled from and pushed to.
    let trees: [String: GeckoRepository]
    /// Try repository name → the repository.
    let sources: [String: GeckoRepository]
    /// One clone per tree below it.
    let cloneDir: String
    let redactor: Redactor
    /// Lando, for the tree `[landing] repository` names when it lands through Lando.
    var lando: (tree: String, lando: LandoLanding)?
    var now: () -> Date = { Date() }

    init(config: Config, settings: AutolandSettings, redactor: Redactor, lando: LandoLanding? = nil) {
        self.settings = settings
        trees = Dictionary(config.gecko.filter { settings.trees.contains($0.name) }.map { ($0.name, $0) }) { first, _ in first }
        sources = Dictionary(config.gecko.filter { $0.role == .try }.map { ($0.name, $0) }) { first, _ in first }
        cloneDir = settings.cloneDir ?? URL(fileURLWithPath: config.store.path).deletingLastPathComponent().appendingPathComponent("autoland-clones").path
        self.redactor = redactor
        if let lando, let tree = config.landing?.repository { self.lando = (tree, lando) }
    }

    /// Tries to land `request` now, feeding every outcome to `record` (which steps the rules and
    /// saves, returning the saved request), holding the tree clone's lock throughout.
    func land(_ request: AutolandRequest, record: (AutolandInput) throws -> AutolandRequest) throws {
        let tree = request.tree ?? settings.defaultTree
        guard let destination = trees[tree], let sourceRepository = sources[request.repository] else {
            _ = try record(.pushFailed(reason: "no [[gecko]] repository \(trees[tree] == nil ? tree : request.repository) in the configuration"))
            return
        }
        let clone = try workspace(tree, destination)
        defer { clone.close() }
        let source = try sourceRepository.openSource()
        defer { source.close() }
        try clone.whileLocked {
            var current = request
            for number in 1...settings.maxPushAttempts {
                let attempt = try self.attempt(current, tree: tree, clone: clone, source: source) { current = try record($0) }
                let (input, again) = AutolandLanding.decide(attempt, number: number, maxAttempts: settings.maxPushAttempts)
                current = try record(input)
                if !again { return }
            }
        }
    }

    private func attempt(_ request: AutolandRequest, tree: String, clone: any LandingWorkspace, source: any GeckoSource,
                         record: (AutolandInput) throws -> Void) throws -> LandingAttempt {
        let tip = try clone.refresh()
        if let node = request.state.attemptNode, clone.holds(node, reachableFrom: tip) { return .alreadyLanded(node: node) }
        let lando = landoFor(tree, clone)
        if let lando, let submitted = request.state.lando, let followed = try follow(submitted, lando: lando, tip: tip) { return followed }
        if let reason = try closedReason(tree) { return .treeClosed(reason: reason) }
        switch try build(request, onto: tip, clone: clone, source: source) {
        case .decided(let attempt):
            return attempt
        case .built(let nodes):
            try record(.built(node: nodes.last ?? tip))
            guard let lando else { return try push(nodes.last ?? tip, clone: clone) }
            return try submit(nodes, base: tip, lando: lando, record: record)
        }
    }

    /// Why Treestatus says `tree` is closed; nil when open or not configured.
    func closedReason(_ tree: String) throws -> String? {
        guard let base = settings.treestatusURL else { return nil }
        let status = try TreestatusClient(url: base + "/" + tree).status()
        return status.isOpen ? nil : status.reason.flatMap { $0.isEmpty ? nil : $0 } ?? status.status
    }

    /// A request rebased in memory onto `base` in the clone, or what decides it without a push.
    enum Build { case built(nodes: [String]), decided(LandingAttempt) }

    /// Commits `request`'s changesets the tree lacks onto `base` in the clone (not pushed): the
    /// tree already has them all, try no longer has them, they conflict, or the commits built.
    func build(_ request: AutolandRequest, onto base: String, clone: any LandingWorkspace, source: any GeckoSource) throws -> Build {
        let nodes = AutolandLanding.toLand(request.nodes) { clone.holds($0, reachableFrom: base) }
        guard !nodes.isEmpty else { return .decided(.alreadyLanded(node: request.nodes.last ?? base)) }
        let stripped = nodes.filter { node in !(node.count == 40 && node.allSatisfy(\.isHexDigit)) || !source.holds(node) }
        guard stripped.isEmpty else { return .decided(.stripped(nodes: stripped)) }
        switch try ChangesetRebase(source: source, target: clone.source).rebase(nodes, onto: base) {
        case .conflict(let files):
            return .decided(.conflict(files: files))
        case .commits(let commits):
            let built = try clone.commit(commits, onto: base)
            return built.isEmpty ? .decided(.alreadyLanded(node: base)) : .built(nodes: built)
        }
    }

    /// Pushes `node` (and its ancestors) from the clone. A refusal is for the sheriffs; a push the
    /// tree's hook refused because it is closed waits as Treestatus's closed tree does; other
    /// failures (unreachable, a lock) are tried again at the next poll.
    func push(_ node: String, clone: any LandingWorkspace) throws -> LandingAttempt {
        switch try clone.push(node) {
        case .pushed, .nothingToPush: .pushed(node: node)
        case .lostRace(let message): .lostRace(message: redactor(message))
        case .refused(let message): .pushFailed(message: redactor(message))
        case .treeClosed(let line): .treeClosed(reason: redactor(line))
        case .failed(let message): .pushInterrupted(message: redactor(message))
        }
    }

    /// wptsync's clone of `tree` (`GeckoRepository.workspace(at:)`), in `cloneDir`.
    func workspace(_ tree: String, _ repository: GeckoRepository) throws -> any LandingWorkspace {
        try? FileManager.default.createDirectory(atPath: cloneDir, withIntermediateDirectories: true)
        return try repository.workspace(at: cloneDir + "/" + tree)
    }
}
