import ArgumentParser
import Foundation
import HookIntake
import Logging
import Store
import Synchronization
import WebhookService
import WPTSyncKit

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive GitHub's webhooks on POST /github/webhook ([serve] listen), until SIGINT or SIGTERM; with [autoland], the sheriff page on /autoland.",
        discussion: "Each signed delivery of a pull_request, pull_request_review, check_run, check_suite or status event is recorded in the journal and answered at once; `wptsync worker` processes it. GET /autoland lists the autoland requests waiting for a sheriff; sheriffs sign in with a token from `wptsync token issue`.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, _) = try options.load()
        SecretRedaction.install(Application.secretRedactor(for: config))
        let secret: [UInt8]
        do { secret = try Application.webhookSecret(config) } catch {
            throw GlobalOptions.configurationFailure(["serve: the webhook secret cannot be read: \(error)"])
        }
        // As a hook would: a journal locked past the busy timeout sends the delivery to the spool.
        let journal = try? JournalOpening.open(config.store, role: .hook)
        let logger = Logger(label: "wptsync.serve")
        let server = WebhookServer(intake: DeliveryIntake(config: config, secret: secret, journal: journal), logger: logger,
                                   sheriffQueue: try SheriffQueue(config: config, logger: logger))
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        Task {
            do {
                try await server.run { address in
                    FileHandle.standardOutput.write(Data("wptsync serve: listening on http://\(address)/github/webhook\n".utf8))
                    if server.sheriffQueue != nil {
                        FileHandle.standardOutput.write(Data("wptsync serve: sheriff queue on http://\(address)/autoland\n".utf8))
                    }
                }
            } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let failure = failure.withLock({ $0 }) {
            FileHandle.standardError.write(Data("wptsync: serve on \(config.serve.listen) (serve.listen) stopped: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }
}
