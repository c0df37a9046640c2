import Foundation
import RepoOps
import Testing
import TestSupport

/// `wptsync token issue|revoke` and signing in on the sheriff page with the token, over loopback
/// with Python's `http.client` (no browser needed): the token is printed once and never stored,
/// the session cookie is HttpOnly and SameSite=Strict (Secure behind an https proxy), a revoked
/// token signs nobody in and ends its sessions.
@Suite("Sheriff page tokens", .serialized)
struct SheriffTokenTests {
    @Test func aTokenSignsInUntilRevokedAndIsNeverStored() throws {
        let page = try SheriffPageWorld("sheriff-tokens")
        let token = try page.issueToken("sam")
        #expect(token.hasPrefix("wptsync_") && token.count > 40, "\(token)")
        let stored = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: page.w.world.store).deletingLastPathComponent().path)
            .filter { $0.contains("sqlite") }
            .map { try Data(contentsOf: URL(fileURLWithPath: page.w.world.store).deletingLastPathComponent().appendingPathComponent($0)) }
        #expect(!stored.isEmpty && !stored.contains { $0.range(of: Data(token.utf8)) != nil }, "only the token's hash is stored")

        let serve = try page.serve()
        let signedIn = try signIn(port: serve.port, token: token, proto: "https")
        #expect(signedIn.first == "303", "\(signedIn)")
        let cookie = try #require(signedIn.first { $0.hasPrefix("wptsync_session=") })
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/autoland", "Secure", "Max-Age=28800"] {
            #expect(cookie.contains(attribute), "\(cookie)")
        }
        #expect(signedIn.last == "page 200 signed in as sam", "\(signedIn)")
        let plain = try signIn(port: serve.port, token: token, proto: "http")
        #expect(plain.first { $0.hasPrefix("wptsync_session=") }?.contains("Secure") == false, "no Secure flag over plain http")

        let wrong = try signIn(port: serve.port, token: token + "x", proto: "http")
        #expect(wrong.first == "403" && wrong.contains { $0.contains("this token is not valid") }, "\(wrong)")

        // Revoked: the token no longer signs in, and the session it opened is over.
        let sessionValue = String(cookie.split(separator: ";")[0])
        #expect(try page.w.world.wptsync(["token", "revoke", "sam"]).contains("revoked the token of sam"))
        let revoked = try signIn(port: serve.port, token: token, proto: "http")
        #expect(revoked.first == "403", "\(revoked)")
        let afterRevoke = try sh("python3", ["-c", Self.client, "\(serve.port)", "page", sessionValue])
        #expect(afterRevoke.contains("page 200 not signed in"), "\(afterRevoke)")

        // Bad input is named and changes nothing.
        let badUser = try page.w.world.wptsyncResult(["token", "issue", "sam; rm -rf /"])
        #expect(badUser.status != 0 && badUser.stderrString.contains("\"sam; rm -rf /\" is not a login or an e-mail address"), "\(badUser.stderrString)")
        let nobody = try page.w.world.wptsyncResult(["token", "revoke", "nobody"])
        #expect(nobody.status != 0 && nobody.stderrString.contains("nobody has no token (wptsync token issue nobody)"), "\(nobody.stderrString)")
    }

    /// Signs in with `token` as the page's form does (its login cookie and hidden field);
    /// prints the status, the Set-Cookie headers, then what the page shows with the new session.
    private func signIn(port: Int, token: String, proto: String) throws -> [String] {
        try sh("python3", ["-c", Self.client, "\(port)", "login", token, proto]).split(separator: "\n").map(String.init)
    }

    static let client = """
        import http.client, re, sys, urllib.parse
        port, action = sys.argv[1], sys.argv[2]
        def request(method, path, body=None, cookie=None, proto="http"):
            connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=120)
            headers = {"X-Forwarded-Proto": proto}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            if cookie:
                headers["Cookie"] = cookie
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        def show(cookie):
            status, _, page = request("GET", "/autoland", cookie=cookie)
            who = re.search(r"Signed in as <strong>([^<]+)</strong>", page)
            print(f"page {status} " + (f"signed in as {who.group(1)}" if who else "not signed in"))
        if action == "page":
            show(sys.argv[3])
            sys.exit(0)
        token, proto = sys.argv[3], sys.argv[4]
        _, headers, page = request("GET", "/autoland", proto=proto)
        login = [v for k, v in headers if k.lower() == "set-cookie" and v.startswith("wptsync_login=")][0].split(";")[0]
        csrf = re.search(r'name="login_csrf" value="([^"]+)"', page).group(1)
        status, headers, page = request("POST", "/autoland/login", urllib.parse.urlencode({"token": token, "login_csrf": csrf}), login, proto)
        print(status)
        cookies = [v for k, v in headers if k.lower() == "set-cookie"]
        for cookie in cookies:
            print(cookie)
        if status != 303:
            print(page)
            sys.exit(0)
        show([c for c in cookies if c.startswith("wptsync_session=")][0].split(";")[0])
        """
}
