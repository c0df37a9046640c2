import Logging
import Store
import SyncCore

/// The handler for each kind of event.
enum Handlers {
    static func all(config: Config, logger: Logger) -> [EventKind: any EventHandler] {
        [.hgPush: DescribeHandler(), .gitPush: DescribeHandler()]
    }
}

/// Placeholder until the repository-reading handlers are wired in.
struct DescribeHandler: EventHandler {
    func handle(_ event: JournalEvent) throws -> String {
        switch event.payload {
        case .hgPush(let push): "push to \(push.repository): \(push.firstNode.prefix(12))…\(push.lastNode.prefix(12))"
        case .gitPush(let push): "push to \(push.repository): " + push.updates.map { "\($0.ref) \($0.new.prefix(12))" }.joined(separator: ", ")
        }
    }
}
