import Foundation
import SyncCore
import Testing

/// Issue 15: a copy made by `migrate-store --to URL` is the store the configuration names however
/// either URL is spelled; events meant for another database keep waiting in the spool.
@Suite("Store identity")
struct StoreIdentityTests {
    func copied(to url: String) -> StoreMigration {
        StoreMigration(phase: .copied, from: "/srv/wptsync/journal.sqlite", to: url, host: "repo1", pid: 42, startedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func theCopyIsConfiguredWhateverTheSpellingOfItsURL() {
        let copy = copied(to: "postgresql://wptsync@db.example:5432/journal")
        for configured in ["postgres://wptsync@db.example:5432/journal", "postgresql://wptsync@DB.Example/journal",
                           "postgresql://wptsync@db.example/journal?sslmode=require&connect_timeout=3",
                           "postgresql:///journal?host=db.example&user=wptsync", "postgresql://wptsync:secret@db.example/journal"] {
            #expect(!copy.holdsBack(configured), "\(configured)")
        }
    }

    @Test func anotherDatabaseUserHostOrPortIsAnotherStore() {
        let copy = copied(to: "postgresql://wptsync@db.example:5432/journal")
        for other in ["postgresql://wptsync@db.example:5432/journal2", "postgresql://hooks@db.example/journal",
                      "postgresql://wptsync@db2.example/journal", "postgresql://wptsync@db.example:5433/journal",
                      "postgresql://wptsync@db.example/journal?port=6432", "/srv/wptsync/journal.sqlite"] {
            #expect(copy.holdsBack(other), "\(other)")
        }
        #expect(copied(to: "/srv/wptsync/journal.sqlite").holdsBack("/srv/wptsync/other.sqlite"))
        #expect(!copied(to: "/srv/wptsync/journal.sqlite").holdsBack("/srv/wptsync/journal.sqlite"))
    }

    /// A URL leaving out the user, host, port or database means libpq's default for it: the OS
    /// user or `PGUSER`, the Unix socket or `PGHOST`, `PGPORT`, `PGDATABASE` or the user.
    @Test func aPartLeftOutIsLibpqsDefault() {
        let me = StoreIdentity.Defaults(environment: [:], osUser: "me")
        #expect(!copied(to: "postgresql://me@/journal").holdsBack("postgresql:///journal", defaults: me))
        #expect(!copied(to: "postgresql://me@/me").holdsBack("postgresql://", defaults: me), "the database is the user's")
        #expect(copied(to: "postgresql://me@/journal").holdsBack("postgresql:///journal",
                                                               defaults: StoreIdentity.Defaults(environment: ["PGUSER": "hooks"], osUser: "me")))
        let remote = StoreIdentity.Defaults(environment: ["PGHOST": "db.example", "PGPORT": "6432", "PGDATABASE": "journal"], osUser: "wptsync")
        #expect(!copied(to: "postgresql://wptsync@db.example:6432/journal").holdsBack("postgresql:///", defaults: remote))
        #expect(copied(to: "postgresql://wptsync@db.example:5432/journal").holdsBack("postgresql:///", defaults: remote), "5432 is not PGPORT's 6432")
    }

    /// `status` and `check-config` (both show this item) say why the copy is not the configured store.
    @Test func theStatusNamesBothStoresWhenTheyDiffer() throws {
        let me = StoreIdentity.Defaults(environment: [:], osUser: "me")
        let copy = copied(to: "postgresql://me@/journal")
        #expect(StoreMigration.statusItem(copy, file: "/srv/marker", live: false, configured: "postgresql:///journal", defaults: me) == nil)
        let item = try #require(StoreMigration.statusItem(copy, file: "/srv/marker", live: false, configured: "postgresql:///journal2", defaults: me))
        #expect(item.summary.contains("the marker names postgresql://me@/journal, the configuration postgresql:///journal2: not the same store"), "\(item.summary)")
    }

    @Test func thePasswordIsNeverPartOfTheKey() {
        #expect(!StoreIdentity.key("postgresql://wptsync:secret@db.example/journal").contains("secret"))
    }
}
