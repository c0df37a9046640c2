import Foundation
import SyncCore
#if canImport(Glibc)
import Glibc
#endif

/// What draining makes of a raw hook input: the event the hook would have recorded, nothing (the
/// hook would have skipped it too), or a reason it cannot be used (it goes to the quarantine file).
public enum RawHookImport: Sendable, Equatable {
    case record(EventPayload)
    case skip(String)
    case unreadable(String)
}

/// The spool's draining side: imports every spooled event into the journal. Raw hook inputs can only
/// be turned into events with the configuration, so a `Spool` cannot be made without `rawInput`;
/// reading and appending need only a `SpoolFile`.
public struct Spool: Sendable {
    /// The file drained.
    public let file: SpoolFile
    /// Turns raw hook inputs (saved by the hook scripts) into events.
    public let rawInput: @Sendable (RawHookInput) -> RawHookImport
    /// Whether the events must stay in the spool: `migrate-store` copies the journal drained into
    /// (`StoreMigrationMarker.holdsBack`).
    public let holdsBack: @Sendable () -> Bool

    public init(path: String, rawInput: @escaping @Sendable (RawHookInput) -> RawHookImport,
                holdsBack: @escaping @Sendable () -> Bool = { false }) {
        self.file = SpoolFile(path: path); self.rawInput = rawInput; self.holdsBack = holdsBack
    }

    /// The spool file's path.
    public var path: String { file.path }

    /// Records every spooled event in `journal`, moves unreadable bytes to `unreadablePath`, then
    /// empties the spool. Returns how many were new. Nothing is drained while `holdsBack`, and the
    /// spool is kept whole when a migration began meanwhile (its copy may have missed them).
    /// Waits for an append or another drain in progress, so that whoever records next (a hook's
    /// own push, say) comes after every event spooled before it: its lock is held only while it
    /// writes or imports.
    @discardableResult
    public func drain(into journal: any EventJournal) throws(StoreError) -> Int {
        guard !file.isEmpty, !holdsBack() else { return 0 }
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .spool(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw .spool(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            data += chunk[0..<n]
        }
        var events: [(EventPayload, Date)] = []
        var unreadable: [(Range<Int>, String)] = []
        for piece in SpoolFormat.scan(data) {
            switch piece {
            case let .event(payload, receivedAt): events.append((payload, receivedAt))
            case let .unreadable(range, reason): unreadable.append((range, reason))
            case let .raw(input, range):
                switch rawInput(input) {
                case .record(let payload): events.append((payload, input.time ?? Date()))
                case .skip: break
                case .unreadable(let reason): unreadable.append((range, reason))
                }
            }
        }
        var recorded = 0
        for (payload, time) in events {
            if case .recorded = try journal.record(payload, at: time) { recorded += 1 }
        }
        guard !holdsBack() else { return recorded }
        try file.quarantine(unreadable.map { (Array(data[$0.0]), $0.0.lowerBound, $0.1) })
        guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw .spool(path: path, reason: String(cString: strerror(errno))) }
        return recorded
    }
}
