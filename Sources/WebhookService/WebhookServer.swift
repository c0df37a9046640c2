import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import SyncCore

/// `wptsync serve`: an HTTP server (Hummingbird) whose `POST /github/webhook` checks each
/// delivery and records it in the journal, answering before any processing.
public struct WebhookServer: Sendable {
    public let intake: DeliveryIntake
    public let logger: Logger
    /// The autoland sheriff page, served under `/autoland` when `[autoland]` is configured.
    public let sheriffQueue: SheriffQueue?
    private let recorder: DeliveryRecorder

    public init(intake: DeliveryIntake, logger: Logger, sheriffQueue: SheriffQueue? = nil) {
        self.intake = intake; self.logger = logger; self.sheriffQueue = sheriffQueue
        recorder = DeliveryRecorder(intake: intake)
    }

    /// Serves until SIGINT or SIGTERM (or, with `stopOnSignals` false, until its task is
    /// cancelled); `onListening` gets the address bound (the port chosen when 0).
    public func run(stopOnSignals: Bool = true, onListening: @escaping @Sendable (ListenAddress) -> Void = { _ in }) async throws {
        let settings = intake.config.serve
        let router = Router()
        router.post("/github/webhook") { request, _ in await self.respond(to: request) }
        sheriffQueue?.register(on: router)
        let logger = logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.listen.host, port: settings.listen.port), serverName: "wptsync"),
            onServerRunning: { channel in
                let bound = ListenAddress(host: settings.listen.host, port: channel.localAddress?.port ?? settings.listen.port)
                logger.notice("listening for GitHub webhooks", metadata: ["address": "\(bound)", "path": "/github/webhook"])
                onListening(bound)
            },
            logger: logger)
        if stopOnSignals { try await app.runService() } else { try await app.runService(gracefulShutdownSignals: []) }
    }

    func respond(to request: Request) async -> Response {
        let limit = intake.config.serve.maxBodyBytes
        let tooLarge = DeliveryAnswer.refused(413, "the body is larger than \(limit) bytes (serve.max_body_bytes)")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return answer(tooLarge) }
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.body.collect(upTo: limit))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return answer(tooLarge)
        } catch {
            return answer(.refused(400, "the body could not be read: \(error)"))
        }
        let headers = request.headers
        switch intake.check(event: headers[Self.event], delivery: headers[Self.delivery], signature: headers[Self.signature], body: body) {
        case .answer(let answer): return self.answer(answer)
        case .record(let delivery):
            return answer(await recorder.record(delivery), delivery: delivery)
        }
    }

    private func answer(_ answer: DeliveryAnswer, delivery: GitHubDelivery? = nil) -> Response {
        var metadata: Logger.Metadata = ["http_status": "\(answer.status)"]
        for (key, value) in answer.fields { metadata[key] = "\(value)" }
        if let delivery { metadata["delivery"] = "\(delivery.delivery)"; metadata["summary"] = "\(delivery.summary)" }
        logger.log(level: answer.status < 300 ? .info : .warning, "webhook delivery", metadata: metadata)
        return Response(status: .init(code: answer.status),
                        headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: answer.json)))
    }

    static let event = HTTPField.Name("X-GitHub-Event")!
    static let delivery = HTTPField.Name("X-GitHub-Delivery")!
    static let signature = HTTPField.Name("X-Hub-Signature-256")!
}
