import Foundation
import SyncCore
#if canImport(Glibc)
import Glibc
#endif

/// The marker file of `wptsync migrate-store` (`StoreMigration`): written, and locked by its
/// process, before the copy reads the store; rewritten as copied, or removed when the copy fails.
/// A marker left unlocked while copying was left by a migrate-store that stopped (killed, crashed).
public struct StoreMigrationMarker: Sendable {
    /// `StoreSettings.migrationMarkerPath`.
    public let path: String

    public init(path: String) { self.path = path }

    /// Whether events meant for `store` (`StoreSettings.name`) must wait in the spool: a marker that
    /// cannot be read holds them back too. A copied marker stays, so that processes still running
    /// with the old configuration (a `serve`, a hook that read it) keep spooling, and the processes
    /// configured with the copy import what they spool. One `stat` when there is no marker.
    public func holdsBack(store: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return read()?.holdsBack(store, defaults: Self.identityDefaults) ?? true
    }

    /// libpq's defaults in this process, for comparing the marker's URL with the configuration's.
    public static var identityDefaults: StoreIdentity.Defaults {
        StoreIdentity.Defaults(environment: ProcessInfo.processInfo.environment, osUser: NSUserName())
    }

    /// What the marker says; nil when there is none or it cannot be read (`exists` tells them apart).
    public func read() -> StoreMigration? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? Self.decoder.decode(StoreMigration.self, from: data)
    }

    /// Whether there is a marker.
    public var exists: Bool { access(path, F_OK) == 0 }

    /// Whether a running `migrate-store` holds the marker.
    public var isHeld: Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    /// Runs `copy` (of `from` into `to`) under the marker: written and held before it starts,
    /// rewritten as copied when it succeeds, removed when it fails. A marker another migrate-store
    /// holds is refused; one nobody holds (left by a migrate-store that stopped, or a copy never
    /// configured) is replaced, and returned so that the operator is told.
    public func whileCopying<T>(from: String, to: String, _ copy: () throws(StoreError) -> T) throws(StoreError) -> (T, replaced: StoreMigration?) {
        let (held, replaced) = try begin(from: from, to: to)
        let result: T
        do { result = try copy() } catch {
            held.abandon()
            throw error
        }
        // Should this fail, the marker is left as copying: hooks keep spooling, and `status` says so.
        try held.finish()
        return (result, replaced)
    }

    func begin(from: String, to: String, now: Date = Date()) throws(StoreError) -> (held: Held, replaced: StoreMigration?) {
        if isHeld {
            let running = read().map { "pid \($0.pid) on \($0.host), copying \($0.from) into \($0.to) since \($0.startedAt)" } ?? "see \(path)"
            throw .copy(reason: "another migrate-store is running (\(running)); wait for it to finish")
        }
        let replaced = read()
        let migration = StoreMigration(phase: .copying, from: from, to: to, host: ProcessInfo.processInfo.hostName, pid: getpid(), startedAt: now)
        let fd = try write(migration, locked: true)
        return (Held(marker: self, fd: fd, migration: migration), replaced)
    }

    /// The marker of a running copy, locked by this process.
    final class Held {
        let marker: StoreMigrationMarker
        private var fd: Int32
        private let migration: StoreMigration

        init(marker: StoreMigrationMarker, fd: Int32, migration: StoreMigration) { self.marker = marker; self.fd = fd; self.migration = migration }

        deinit { if fd >= 0 { close(fd) } }

        /// The copy is made: events keep waiting in the spool until the configuration names it.
        func finish() throws(StoreError) {
            var copied = migration
            copied.phase = .copied
            let written = try marker.write(copied, locked: false)
            close(written)
            release()
        }

        /// The copy failed: events go to the store they went to before, the spool with them.
        func abandon() {
            unlink(marker.path)
            release()
        }

        private func release() {
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// Writes `migration` into a new file (locked first when `locked`) that then replaces the marker
    /// at once; its open descriptor.
    func write(_ migration: StoreMigration, locked: Bool) throws(StoreError) -> Int32 {
        let temporary = path + ".\(getpid()).tmp"
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func failure(_ what: String) -> StoreError { .copy(reason: "\(what) \(path): \(String(cString: strerror(errno)))") }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot write the marker") }
        let bytes = Array((try? Self.encoder.encode(migration)) ?? Data())
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard !locked || flock(fd, LOCK_EX | LOCK_NB) == 0, written == bytes.count, fsync(fd) == 0, rename(temporary, path) == 0 else {
            let error = failure("cannot write the marker")
            close(fd)
            unlink(temporary)
            throw error
        }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
        return fd
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
