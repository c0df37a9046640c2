import Foundation
import HookIntake
import Logging
import Remote
import Synchronization
import SyncCore
import WPTSyncKit
import WebhookService

/// The demo's `wptsync serve`: the real webhook server (`WebhookServer`, Hummingbird) on a loopback
/// port the system chose, recording into the demo's journal, and GitHub's side of it: deliveries
/// signed with the webhook secret and posted over HTTP.
final class DemoWebhooks {
    /// `http://127.0.0.1:<port>`: the sheriff page is under `/autoland`.
    let base: String
    /// `<base>/github/webhook`.
    var url: String { base + "/github/webhook" }
    private let secret: [UInt8]
    private let repository: String
    private let task: Task<Void, Never>
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts serving `config`'s `[serve]` with the journal it names, and with `[autoland]` the sheriff
    /// page; returns once it listens.
    init(config: Config, secret: [UInt8]) throws {
        let journal = try JournalOpening.open(config.store, role: .hook)
        let intake = DeliveryIntake(config: config, secret: secret, journal: journal)
        let logger = Logger(label: "wptsync.demo.serve") { _ in SwiftLogNoOpLogHandler() }
        let server = WebhookServer(intake: intake, logger: logger, sheriffQueue: try SheriffQueue(config: config, logger: logger))
        let listening = DispatchSemaphore(value: 0)
        let bound = Mutex<(address: ListenAddress?, failure: String?)>((nil, nil))
        let stopped = stopped
        task = Task {
            do {
                try await server.run(stopOnSignals: false) { address in
                    bound.withLock { $0.address = address }
                    listening.signal()
                }
            } catch { bound.withLock { $0.failure = "\(error)" } }
            listening.signal()
            stopped.signal()
        }
        _ = listening.wait(timeout: .now() + 30)
        let (address, failure) = bound.withLock { $0 }
        guard let address else { throw Demo.StepFailed(description: "wptsync serve did not start: \(failure ?? "no answer in 30 s")") }
        base = "http://\(address)"
        self.secret = secret
        repository = intake.repository
    }

    /// Stops the server and waits for it.
    func stop() {
        task.cancel()
        _ = stopped.wait(timeout: .now() + 30)
    }

    /// Delivers `observation` as GitHub would (`event`, `action`), signed; the HTTP status and the
    /// server's answer.
    func deliver(_ event: String, action: String, _ observation: WebhookObservation) throws -> (status: Int, answer: String) {
        let body = WebhookPayload.body(event: event, action: action, observation: observation, repository: repository)
        let request = HTTPRequest(.post, url, headers: [
            "Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/demo", "X-GitHub-Event": event,
            "X-GitHub-Delivery": UUID().uuidString.lowercased(),
            "X-Hub-Signature-256": DeliveryIntake.signature(of: body, secret: secret),
        ], body: body)
        let response = try HTTPClient(retryPolicy: .never).sendReturningErrorStatus(request)
        return (response.status, response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
