import SyncCore

/// How landings are shown to people, on one line.
public enum LandingFormat {
    /// One landing on one line, as `wptsync landings` prints it; control characters (file names
    /// and errors come from upstream) are shown escaped.
    public static func line(_ landing: Landing) -> String {
        let prs = landing.units.compactMap(\.pullRequest).map { "#\($0)" }
        let passed = landing.units.filter { $0.disposition != .apply }.count
        var text = "landing \(landing.id) \(landing.status.rawValue): upstream \(landing.upstreamBase.prefix(12))..\(landing.upstreamHead.prefix(12))"
            + ", \(landing.units.count) unit(s)" + (prs.isEmpty ? "" : " (PRs \(prs.joined(separator: ", ")))")
            + (passed == 0 ? "" : ", \(passed) already in Gecko or skipped")
            + (landing.syncPoint.map { ", sync point \($0.prefix(12)) (\(landing.landedBeyond?.count ?? 0) unit(s) imported past it)" } ?? "")
        if let node = landing.landingNode { text += ", landing commit \(node.prefix(12))" }
        if let waiting = landing.waitingFor, landing.status != .landed { text += ", waiting for \(waiting)" }
        if landing.conflict != nil { text += ", " + conflict(landing) }
        if let error = landing.lastError { text += ", last error: \(error)" }
        return ControlCharacters.escaped(text)
    }

    /// A unit the landing holds back, with why, as `wptsync landings` prints it.
    public static func held(_ unit: HeldUnit) -> String {
        ControlCharacters.escaped("held back: \(unit.name) (\(unit.head.prefix(12))): \(unit.reason)")
    }

    /// Why a landing in needs-fixup waits: its conflict, or else its last error (a refused push, a stopped Lando job).
    static func why(_ landing: Landing) -> String {
        landing.conflict == nil ? ControlCharacters.escaped(landing.lastError ?? "no conflict recorded") : conflict(landing)
    }

    static func conflict(_ landing: Landing) -> String {
        guard let conflict = landing.conflict else { return "no conflict recorded" }
        let source = conflict.pullRequest.map { "PR #\($0)" } ?? "commit \(conflict.commit.prefix(12))"
        return ControlCharacters.escaped("\(source) does not apply to Gecko in \(conflict.files.joined(separator: ", "))")
    }
}

/// Why the landing could not run.
public enum LandingError: Error, CustomStringConvertible {
    case noSyncPoint(path: String, revision: String)
    case notConfigured(String)
    case nothingToContinue
    case unknownCommit(String, mirror: String)
    case nothingToSettle(Int64)
    /// `--take upstream` for files the import refuses whatever a person chooses.
    case refusedFiles(Int64, files: [String], pullRequest: Int?)

    public var description: String {
        switch self {
        case let .noSyncPoint(path, revision):
            "Gecko revision \(revision) has no sync point: write `upstream: <wpt sha>` into \(path) (the upstream commit Gecko's wpt matches)"
        case .notConfigured(let what): "landing is not configured: \(what)"
        case .nothingToContinue: "no landing is waiting for a fix, deferred, unfinished or just backed out (see `wptsync landings`)"
        case .nothingToSettle(let id): "landing \(id) has no conflict to settle (--take applies to a needs-fixup landing)"
        case let .refusedFiles(id, files, pullRequest):
            ControlCharacters.escaped("landing \(id): upstream's version of \(files.joined(separator: ", ")) is never imported, "
                                      + "so --take upstream cannot settle them: use --take gecko (leave them out)"
                                      + (pullRequest.map { " or `wptsync skip pr \($0)` (import nothing of the PR)" } ?? "") + "; nothing changed")
        case let .unknownCommit(sha, mirror): "'\(sha)' is not a commit of the wpt mirror \(mirror) (give at least 7 hex digits of a commit it has)"
        }
    }
}
