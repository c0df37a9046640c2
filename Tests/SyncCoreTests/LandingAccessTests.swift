import SyncCore
import Testing

@Suite("Landing access rules (pure)")
struct LandingAccessTests {
    @Test func level3IsActiveAndNotExpired() {
        #expect(LandingAccess.verdict(user: "a", groups: ["active_scm_level_3", "all_scm_level_3"]) == .granted)
        #expect(LandingAccess.verdict(user: "b", groups: ["active_scm_level_3", "expired_scm_level_3"])
            == .refused(reason: "b is in expired_scm_level_3: commit access level 3 has expired"))
        #expect(LandingAccess.verdict(user: "c", groups: ["active_scm_level_1"])
            == .refused(reason: "c is not in active_scm_level_3: no commit access level 3"))
        #expect(LandingAccess.verdict(user: "d", groups: nil) == .refused(reason: "d is not known to the access directory"))
    }

    @Test func groupsFileLinesAndTheirErrors() throws {
        let groups = try LandingAccess.parseGroupsFile("""
            # who may land
            alice@mozilla.com: active_scm_level_3  all_scm_level_3
            bob@mozilla.com:   # known, in no group

            """, file: "/etc/groups")
        #expect(groups == ["alice@mozilla.com": ["active_scm_level_3", "all_scm_level_3"], "bob@mozilla.com": []])
        #expect(throws: AutolandError.groupsFile(file: "/etc/groups", line: 2, reason: #"expected "user: group group …""#)) {
            try LandingAccess.parseGroupsFile("a: x\nb x\n", file: "/etc/groups")
        }
        #expect(throws: AutolandError.groupsFile(file: "/etc/groups", line: 1, reason: #""a b" is not a login or an e-mail address"#)) {
            try LandingAccess.parseGroupsFile("a b: x", file: "/etc/groups")
        }
        #expect(throws: AutolandError.groupsFile(file: "/etc/groups", line: 2, reason: "lists a a second time")) {
            try LandingAccess.parseGroupsFile("a: x\na: y", file: "/etc/groups")
        }
    }

    @Test func theLDAPFilterEscapesTheUserAndTheAnswerIsRead() {
        #expect(LDAPAnswer.filter(user: "a*)(uid=\\", userAttribute: "mail", memberAttribute: "memberUid")
            == #"(|(mail=a\2a\29\28uid=\5c)(memberUid=a\2a\29\28uid=\5c))"#)
        let ldif = """
            dn: mail=alice@mozilla.com,ou=people,dc=mozilla
            objectClass: inetOrgPerson
            cn: Alice

            dn: cn=active_scm_level_3,ou=groups,dc=mozilla
            objectClass: posixGroup
            cn: active_scm_level_3

            dn: cn=x,ou=groups,dc=mozilla
            objectClass: posixGroup
            cn:: c2NtX2xldmVsXzE=

            """
        #expect(LDAPAnswer.groups(ldif: ldif) == ["active_scm_level_3", "scm_level_1"])
        // Groups naming a user the directory has no entry for: unknown.
        #expect(LDAPAnswer.groups(ldif: "dn: cn=g,dc=mozilla\nobjectClass: posixGroup\ncn: g\n") == nil)
        #expect(LDAPAnswer.groups(ldif: "") == nil)
    }
}
