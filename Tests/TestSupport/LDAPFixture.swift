/// A small directory below `dc=mozilla`: the bind entry `cn=wptsync` (password `bind-secret`),
/// alice (level 3), bob (level 3, expired), carol (level 1), as posixGroups listing mail addresses.
public enum LDAPFixture {
    public static let ldif = """
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

}
