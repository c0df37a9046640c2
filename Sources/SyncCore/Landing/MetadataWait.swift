import Foundation

/// Whether a landing waits for a PR's expectation metadata (`[landing] wait_for_metadata`): while a
/// try run of the PR's changes is still to come, up to `limit` seconds after the PR merged upstream;
/// then it lands without, and says so. A person can say the PR is ready (`wptsync metadata <PR>
/// --ready`).
public enum MetadataWait: Sendable, Equatable {
    /// Nothing to wait for: land it with the metadata it has.
    case land
    /// Hold this PR back, with the reason (and the later PRs touching the same tests).
    case wait(String)
    /// The limit passed: land without the coming metadata, saying so.
    case landWithout(String)

    /// What the import does with the PR: a waiting PR is held (`Importability.hold`).
    public var importability: Importability {
        if case .wait(let reason) = self { .hold(reason: reason) } else { .ready(.apply) }
    }

    /// `stability`: whether complete runs are followed by a stability run (`[downstream] rebuild`).
    public static func decide(pullRequest: Int, sync: DownstreamSync?, mergedAt: Date, now: Date, limit: TimeInterval,
                              stability: Bool) -> MetadataWait {
        guard let sync, sync.awaitsMetadata(stability: stability) else { return .land }
        let run = sync.tryPushes.last?.revision.map { "try push \($0.prefix(12))" } ?? "its try push"
        let until = mergedAt.addingTimeInterval(limit)
        guard now < until else {
            return .landWithout("PR #\(pullRequest) lands without its metadata: \(run) was still going \(Int(limit)) s after the merge")
        }
        return .wait("PR #\(pullRequest) waits for its metadata (\(run) is still going) until \(ISO8601DateFormatter().string(from: until)); "
                     + "`wptsync metadata \(pullRequest) --ready` lands it now")
    }
}
