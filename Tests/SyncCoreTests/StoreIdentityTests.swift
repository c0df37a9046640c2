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

    @Test func thePasswordIsNeverPartOfTheKey() {
        #expect(!StoreIdentity.key("postgresql://wptsync:secret@db.example/journal").contains("secret"))
    }
}
