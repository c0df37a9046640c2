import CSQLiteSupport
import Dispatch
import GRDB
import Synchronization

/// Checkpoints a journal's WAL on a connection and thread of its own, for a process that records
/// all the time (`wptsync serve`): with SQLite's automatic checkpoint, the commit that fills the WAL
/// copies it into the database and fsyncs that too, and every delivery arriving meanwhile waits.
/// The writer's connection keeps only a count of the WAL's pages (`wpts_sqlite_count_wal_pages`).
final class WALCheckpointer: @unchecked Sendable {
    /// SQLite's own automatic checkpoint size, in pages.
    static let threshold: Int32 = 1000
    /// Past this, the writer checkpoints itself: the background ones fail or fall behind.
    static let ceiling: Int32 = 10 * threshold

    let path: String
    /// Written by the WAL hook at each commit, read after the commit: both on the writer's queue.
    private let pages = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private let running = Mutex(false)
    private let queue = DispatchQueue(label: "wptsync.journal.checkpoint")
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String) {
        self.path = path
        pages.initialize(to: 0)
    }

    deinit { pages.deallocate() }

    /// Installs the page count on the writer's connection, in place of the automatic checkpoint.
    func install(on db: Database) { _ = wpts_sqlite_count_wal_pages(db.sqliteConnection, pages) }

    /// After a commit on the writer's connection: starts a checkpoint elsewhere when the WAL is
    /// due one, or makes one on `db` when it has grown past `ceiling`. Never fails: the commit is
    /// made, and a checkpoint not made now is made later.
    func committed(_ db: Database) {
        let size = pages.pointee
        if size >= Self.ceiling {
            _ = try? db.checkpoint(.passive)
            pages.pointee = 0
            return
        }
        guard size >= Self.threshold, running.withLock({ running in defer { running = true }; return !running }) else { return }
        queue.async { [self] in
            defer { running.withLock { $0 = false } }
            try? connection.withLock { queue in
                if queue == nil { queue = try DatabaseQueue(path: path, configuration: Self.configuration) }
                try queue?.writeWithoutTransaction { try $0.checkpoint(.passive) }
            }
        }
    }

    private static var configuration: Configuration {
        var config = Configuration()
        config.label = "wptsync-journal-checkpoint"
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return config
    }
}
