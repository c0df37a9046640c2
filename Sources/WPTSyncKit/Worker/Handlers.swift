import Logging
import RepoOps
import Store
import SyncCore

/// The handler for each kind of event.
enum Handlers {
    static func all(config: Config, logger: Logger) -> [EventKind: any EventHandler] {
        [.hgPush: HgPushHandler(config: config), .gitPush: GitPushHandler()]
    }
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
/// server per repository per worker) and reports those touching wpt.
final class HgPushHandler: EventHandler {
    let config: Config
    private var servers: [String: HgRepository] = [:]

    init(config: Config) { self.config = config }

    func handle(_ event: JournalEvent) throws -> String {
        guard case .hgPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .hgPush, got: event.kind) }
        let hg = try server(for: push.repository)
        let changesets = try hg.changesets("\(push.firstNode):\(push.lastNode)")
        let touching = changesets.filter { !$0.isMerge && $0.files.contains { config.paths.isWPT($0.bytes) } }
        return "push to \(push.repository): \(changesets.count) changeset(s), \(touching.count) touching \(config.paths.wpt)"
            + (touching.isEmpty ? "" : ": " + touching.map { String($0.node.prefix(12)) }.joined(separator: ", "))
    }

    private func server(for name: String) throws -> HgRepository {
        if let open = servers[name] { return open }
        guard let repository = config.geckoRepository(named: name) else { throw HandlerError.unknownRepository(name) }
        let server = try HgRepository(path: repository.path)
        servers[name] = server
        return server
    }
}

/// Describes ref updates of the wpt mirror; importing them into Gecko comes with the landing.
struct GitPushHandler: EventHandler {
    func handle(_ event: JournalEvent) throws -> String {
        guard case .gitPush(let push) = event.payload else { throw HandlerError.wrongPayload(expected: .gitPush, got: event.kind) }
        return "push to \(push.repository): " + push.updates.map { "\($0.ref) \($0.old.prefix(12))..\($0.new.prefix(12))" }.joined(separator: ", ")
    }
}
