import Foundation

/// A request's landing submitted to Lando, recorded before it is sent: a crash between the
/// submission and Lando's answer never submits it twice (the job is followed; without its id,
/// the branch is searched for the landing, and it is submitted again only after `lando_wait_seconds`).
public struct AutolandLandoSubmission: Sendable, Equatable, Codable {
    /// Lando's job id, once Lando answered.
    public var job: Int?
    public var submittedAt: Date
    /// The tree's tip the commits were built on.
    public var base: String
    /// The commits as built (Lando writes its own), oldest first.
    public var nodes: [String]
    /// The lines of the last commit's message: how it is recognised on the branch (Lando rewrites hashes).
    public var markers: [String]

    public init(job: Int? = nil, submittedAt: Date, base: String, nodes: [String], markers: [String]) {
        self.job = job; self.submittedAt = submittedAt; self.base = base; self.nodes = nodes; self.markers = markers
    }

    /// The non-empty lines of `message`, trimmed.
    public static func markers(of message: String) -> [String] {
        message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
