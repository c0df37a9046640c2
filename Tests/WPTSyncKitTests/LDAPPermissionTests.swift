import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// The LDAP backend against a real OpenLDAP `slapd` started for the test on a loopback port.
@Suite("Landing permission from LDAP", .serialized, .enabled(if: Slapd.isInstalled, "slapd and ldap-utils are not installed (scripts/bootstrap)"))
struct LDAPPermissionTests {
    func permission(_ slapd: Slapd, password: String? = "bind-secret") -> LDAPPermission {
        LDAPPermission(settings: LDAPSettings(url: slapd.url, baseDN: "dc=mozilla", bindDN: "cn=wptsync,dc=mozilla", timeoutSeconds: 5),
                       password: password)
    }

    @Test func level3MembersAreGrantedAndOthersRefusedWithTheReason() throws {
        let slapd = try Slapd(ldif: LDAPFixture.ldif)
        let ldap = permission(slapd)
        #expect(try ldap.groups(of: "alice@mozilla.com") == ["active_scm_level_3"])
        #expect(ldap.level3("alice@mozilla.com") == .granted)
        #expect(ldap.level3("bob@mozilla.com") == .refused(reason: "bob@mozilla.com is in expired_scm_level_3: commit access level 3 has expired"))
        #expect(ldap.level3("carol@mozilla.com") == .refused(reason: "carol@mozilla.com is not in active_scm_level_3: no commit access level 3"))
        #expect(ldap.level3("dave@mozilla.com") == .refused(reason: "dave@mozilla.com is not known to the access directory"))
    }

    @Test func aWrongPasswordOrADirectoryThatIsDownFailsClosed() throws {
        let slapd = try Slapd(ldif: LDAPFixture.ldif)
        guard case .unavailable(let wrong) = permission(slapd, password: "nope").level3("alice@mozilla.com") else {
            Issue.record("a wrong bind password must not answer"); return
        }
        #expect(wrong.contains("Invalid credentials (49)") && wrong.hasPrefix("LDAP \(slapd.url):"), "\(wrong)")
        #expect(!wrong.contains("nope"))
        slapd.stop()
        guard case .unavailable(let down) = permission(slapd).level3("alice@mozilla.com") else {
            Issue.record("a stopped directory must not answer"); return
        }
        #expect(down.contains("Can't contact LDAP server"), "\(down)")
    }
}
