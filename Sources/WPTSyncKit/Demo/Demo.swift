import Foundation
import HookIntake
import Logging
import RepoOps
import Store
import SyncCore

/// `wptsync demo`: builds a small world in a folder — Gecko's autoland and mozilla-central
/// repositories with a wpt tree, and a wpt mirror — installs the real hooks, makes real pushes,
/// lets the real worker act, and checks each step happened.
public struct Demo {
    public let folder: String
    /// The `wptsync-hook` executable the installed hooks run.
    public let hookBinary: String
    /// The project folder holding `hooks/` and `vcs-config/`.
    public let share: String
    public var say: (String) -> Void = { print($0) }

    public init(folder: String, hookBinary: String, share: String) {
        self.folder = folder; self.hookBinary = hookBinary; self.share = share
    }

    /// Why the demo stopped: a step that did not happen.
    public struct StepFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs every step; throws at the first one that did not happen.
    public func run() throws {
        let world = DemoWorld(folder: folder)
        try world.create()
        say("1. Created Gecko repositories autoland and mozilla-central (wpt under \(PathPrefixes().wpt)) and the wpt mirror, in \(folder)")

        let installer = try HookInstaller(share: share, hookBinary: hookBinary, config: world.configFile)
        for repository in [world.autoland, world.central, world.mirror] {
            say("2. " + (try installer.install(repository: repository)).description)
        }

        let config = try ConfigLoader.load(file: world.configFile)
        let journal = try SQLiteJournal(path: config.store.path)
        let wptNode = try world.landInGecko(path: "testing/web-platform/tests/dom/frobnicate.html", contents: "<!doctype html>\n<title>frobnicate</title>\n",
                                            message: "Bug 1000001 - Test frobnication. r=reviewer")
        try expectEvents(journal, count: 1, after: "pushing a wpt change to autoland")
        say("3. Pushed \(wptNode.prefix(12)) \"Bug 1000001 - Test frobnication\" to autoland: the changegroup hook recorded event #1")

        let otherNode = try world.landInGecko(path: "dom/base/Frobnicator.cpp", contents: "// frobnicate\n",
                                              message: "Bug 1000002 - Frobnicate faster. r=reviewer")
        try expectEvents(journal, count: 2, after: "pushing a Gecko-only change to autoland")
        say("4. Pushed \(otherNode.prefix(12)) \"Bug 1000002 - Frobnicate faster\" (no wpt files) to autoland: event #2")

        let sha = try world.pushUpstream(path: "css/frob.html", contents: "<!doctype html>\n", message: "Add a frob test")
        try expectEvents(journal, count: 3, after: "pushing to the wpt mirror's master")
        say("5. Pushed upstream commit \(sha.prefix(12)) to the wpt mirror's master: the post-receive hook recorded event #3")

        var lines: [String] = []
        let logger = Logger(label: "wptsync.demo") { _ in CollectingLogHandler { lines.append($0) } }
        let worker = Worker(journal: journal, settings: config.worker, spool: Spool(path: config.store.spool),
                            handlers: Handlers.all(config: config, logger: logger), logger: logger)
        let report = try worker.drain()
        guard report.processed.count == 3, report.failed.isEmpty else {
            throw StepFailed(description: "the worker processed \(report.processed.count) of 3 events (\(report.failed.count) failed)")
        }
        say("6. The worker processed the 3 events:")
        for line in lines { say("     " + line) }
        guard lines.contains(where: { $0.contains("1 touching") && $0.contains(wptNode.prefix(12)) }) else {
            throw StepFailed(description: "the worker did not find the wpt change \(wptNode.prefix(12))")
        }
        say("7. The journal is \(config.store.path); its configuration \(world.configFile)")
    }

    private func expectEvents(_ journal: SQLiteJournal, count: Int, after step: String) throws {
        let recorded = try journal.events(state: nil, limit: count + 1).count
        guard recorded == count else {
            throw StepFailed(description: "after \(step), the journal holds \(recorded) event(s), not \(count)")
        }
    }
}

/// Hands each log message to a closure, for the demo's timeline.
private struct CollectingLogHandler: LogHandler {
    let collect: (String) -> Void
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(_ collect: @escaping (String) -> Void) { self.collect = collect }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let id = event.metadata?["event"].map { "#\($0) " } ?? ""
        collect("\(id)\(event.message)")
    }
}
