import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

/// The worker asking a real `slapd` who may land: a try push through the real hook, then `wptsync process`.
@Suite("Autoland access through LDAP", .serialized, .enabled(if: Slapd.isInstalled, "slapd and ldap-utils are not installed (scripts/bootstrap)"))
struct AutolandLDAPTests {
    let slapd: Slapd
    let world: SyncWorld
    let tryRepo: String

    init() throws {
        slapd = try Slapd(ldif: LDAPFixture.ldif)
        let dir = TempDir("autoland-ldap")
        tryRepo = dir.sub("try")
        var world = try SyncWorld(extraConfig: """

            [[gecko]]
            name = "try"
            path = "\(dir.sub("try"))"
            role = "try"

            [autoland.ldap]
            url = "\(slapd.url)"
            base_dn = "dc=mozilla"
            bind_dn = "cn=wptsync,dc=mozilla"
            password_env = "WPTSYNC_LDAP_PASSWORD"
            timeout_seconds = 5

            """, installHooks: false, dir: dir)
        world.environment["WPTSYNC_LDAP_PASSWORD"] = "bind-secret"
        self.world = world
        try sh("hg", ["init", tryRepo])
        try world.gecko.hg(["push", "-q", tryRepo])
        try world.wptsync(["install-hooks", tryRepo])
    }

    func push(as user: String) throws {
        try world.gecko.write("dom/base/Document.cpp", "// \(UUID().uuidString)\n")
        let tip = try world.gecko.commit("Bug 9 - x r=y\n\ntry: -b o --autoland")
        try world.gecko.hg(["push", "-q", "-f", "-r", tip, tryRepo], env: ["USER": user])
    }

    func phases() throws -> [String] {
        try SQLiteJournal(path: world.store).autolandRequests(phases: nil).reversed().map { "\($0.requester ?? "-"): \($0.state.phase.rawValue)" }
    }

    @Test func levelThreeWatchedOthersRefusedAndADirectoryThatIsDownLeavesTheRequestWaiting() throws {
        try push(as: "alice@mozilla.com")
        try push(as: "carol@mozilla.com")
        try push(as: "dave@mozilla.com")
        try world.wptsync(["process"])
        #expect(try phases() == ["alice@mozilla.com: watching", "carol@mozilla.com: refused", "dave@mozilla.com: refused"])
        let reasons = try SQLiteJournal(path: world.store).autolandRequests(phases: [.refused]).compactMap(\.state.reason)
        #expect(reasons == ["dave@mozilla.com is not known to the access directory",
                            "carol@mozilla.com is not in active_scm_level_3: no commit access level 3"])

        slapd.stop()
        try push(as: "alice@mozilla.com")
        try world.wptsync(["process"])
        let waiting = try #require(try SQLiteJournal(path: world.store).autolandRequests(phases: [.requested]).first)
        #expect(waiting.state.reason?.contains("Can't contact LDAP server") == true, "\(waiting.state)")
        #expect(!(try String(contentsOfFile: world.log, encoding: .utf8)).contains("bind-secret"))
    }
}
