import Foundation
import Logging
import RepoOps
import Store
import SyncCore

/// The handlers for each kind of event, and the periodic tasks, built from the configuration.
struct Handlers {
    var byKind: [EventKind: any EventHandler]
    var periodic: [any PeriodicTask]

    static func make(config: Config, store: any ServiceStore,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Handlers {
        let upstream = try UpstreamSyncer.make(config: config, store: store, environment: environment)
        let hg = HgPushHandler(config: config, upstream: upstream)
        return Handlers(byKind: [.hgPush: hg, .gitPush: GitPushHandler()], periodic: upstream == nil ? [] : [hg])
    }
}

/// Work the worker does every `interval` seconds besides events.
public protocol PeriodicTask {
    var interval: Double { get }
    /// Does the work; returns lines for the log.
    func run() throws -> [String]
}

/// Why a handler could not process an event.
public enum HandlerError: Error, CustomStringConvertible {
    case unknownRepository(String)
    case wrongPayload(expected: EventKind, got: EventKind)

    public var description: String {
        switch self {
        case .unknownRepository(let name): "repository \(name) is no longer in the configuration"
        case let .wrongPayload(expected, got): "a \(got.rawValue) event reached the \(expected.rawValue) handler"
        }
    }
}

/// Reads the changesets of a Gecko push through the repository's command server (one long-lived
/// server per repository per worker), reports those touching wpt, and upstreams them when
/// upstreaming is configured.
final class HgPushHandler: EventHandler, PeriodicTask {
    let config: Config
    let upstream: UpstreamSyncer?
    private let servers: HgServers

    init(config: Config, upstream: UpstreamSyncer?) {
        self.config = config; self.upstream = upstream; servers = HgServers(config: config)
    }

    func handle(_ event: JournalEvent) throws -> String {
        guard case .hgPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .hgPush, got: event.kind) }
        guard let repository = config.geckoRepository(named: push.repository) else { throw HandlerError.unknownRepository(push.repository) }
        let hg = try servers.server(for: repository)
        let changesets = try hg.changesets("\(push.firstNode):\(push.lastNode)")
        let touching = changesets.filter { !$0.isMerge && $0.files.contains { config.paths.isWPT($0.bytes) } }
        var summary = "push to \(push.repository): \(changesets.count) changeset(s), \(touching.count) touching \(config.paths.wpt)"
            + (touching.isEmpty ? "" : ": " + touching.map { String($0.node.prefix(12)) }.joined(separator: ", "))
        if let upstream {
            let notes = try upstream.handle(changesets, role: repository.role) { try self.servers.server(containing: $0, preferring: repository) }
            if !notes.isEmpty { summary += "\n  " + notes.joined(separator: "\n  ") }
        }
        return summary
    }

    var interval: Double { config.upstream.recheckSeconds }

    func run() throws -> [String] {
        guard let upstream, let central = config.gecko.first(where: { $0.role == .central }) ?? config.gecko.first else { return [] }
        return try upstream.recheckLanded(central: try servers.server(for: central)) {
            try self.servers.server(containing: $0, preferring: central)
        }
    }
}

/// Describes ref updates of the wpt mirror; importing them into Gecko comes with the landing.
struct GitPushHandler: EventHandler {
    func handle(_ event: JournalEvent) throws -> String {
        guard case .gitPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .gitPush, got: event.kind) }
        return "push to \(push.repository): " + push.updates.map { "\($0.ref) \($0.old.prefix(12))..\($0.new.prefix(12))" }.joined(separator: ", ")
    }
}
