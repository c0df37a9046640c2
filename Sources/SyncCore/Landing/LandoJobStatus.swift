/// The status of a job in Lando's headless (automation) API, spelled as Lando spells it.
public enum LandoJobStatus: String, Sendable, Equatable, CaseIterable, Codable {
    case created = "CREATED"
    case submitted = "SUBMITTED"
    case inProgress = "IN_PROGRESS"
    /// A temporary failure (tree closed, lost push race): Lando's worker tries the job again.
    case deferred = "DEFERRED"
    case failed = "FAILED"
    case landed = "LANDED"
    case cancelled = "CANCELLED"

    /// Whether the job will not change any more (without someone acting on it by hand).
    public var isFinal: Bool { self == .failed || self == .landed || self == .cancelled }
}
