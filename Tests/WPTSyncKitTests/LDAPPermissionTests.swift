import Foundation
import RepoOps
import SyncCore
import Testing
import TestSupport
@testable import WPTSyncKit

/// The LDAP backend against a real OpenLDAP `slapd` started for the test on a loopback port.
@Suite("Landing permission from LDAP", .serialized, .enabled(if: Slapd.isInstalled, "slapd and ldap-utils are not installed (scripts/bootstrap)"))
struct LDAPPermissionTests {
    static let ldif = """
        dn: dc=mozilla
        objectClass: dcObject
        objectClass: organization
        o: mozilla
        dc: mozilla

        dn: ou=people,dc=mozilla
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,dc=mozilla
        objectClass: organizationalUnit
        ou: groups

        dn: cn=wptsync,dc=mozilla
        objectClass: inetOrgPerson
        cn: wptsync
        sn: bot
        userPassword: bind-secret

        \(["alice", "bob", "carol"].map { """
            dn: mail=\($0)@mozilla.com,ou=people,dc=mozilla
            objectClass: inetOrgPerson
            cn: \($0)
            sn: \($0)
            mail: \($0)@mozilla.com

            """ }.joined(separator: "\n"))
        dn: cn=active_scm_level_3,ou=groups,dc=mozilla
        objectClass: posixGroup
        cn: active_scm_level_3
        gidNumber: 3
        memberUid: alice@mozilla.com
        memberUid: bob@mozilla.com

        dn: cn=expired_scm_level_3,ou=groups,dc=mozilla
        objectClass: posixGroup
        cn: expired_scm_level_3
        gidNumber: 4
        memberUid: bob@mozilla.com

        dn: cn=active_scm_level_1,ou=groups,dc=mozilla
        objectClass: posixGroup
        cn: active_scm_level_1
        gidNumber: 1
        memberUid: carol@mozilla.com

        """

    func permission(_ slapd: Slapd, password: String? = "bind-secret") -> LDAPPermission {
        LDAPPermission(settings: LDAPSettings(url: slapd.url, baseDN: "dc=mozilla", bindDN: "cn=wptsync,dc=mozilla", timeoutSeconds: 5),
                       password: password)
    }

    @Test func level3MembersAreGrantedAndOthersRefusedWithTheReason() throws {
        let slapd = try Slapd(ldif: Self.ldif)
        let ldap = permission(slapd)
        #expect(try ldap.groups(of: "alice@mozilla.com") == ["active_scm_level_3"])
        #expect(ldap.level3("alice@mozilla.com") == .granted)
        #expect(ldap.level3("bob@mozilla.com") == .refused(reason: "bob@mozilla.com is in expired_scm_level_3: commit access level 3 has expired"))
        #expect(ldap.level3("carol@mozilla.com") == .refused(reason: "carol@mozilla.com is not in active_scm_level_3: no commit access level 3"))
        #expect(ldap.level3("dave@mozilla.com") == .refused(reason: "dave@mozilla.com is not known to the access directory"))
    }

    @Test func aWrongPasswordOrADirectoryThatIsDownFailsClosed() throws {
        let slapd = try Slapd(ldif: Self.ldif)
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
