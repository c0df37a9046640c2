import Foundation
import HookIntake
import SyncCore
import Testing
import TestSupport
import WPTSyncKit

/// The application's redactor: which secrets it knows, and that what it builds uses it without any
/// set-up by the command line.
@Suite("Secret redactor", .serialized)
struct SecretRedactorTests {
    @Test func passwordsInProxyVariablesAreSecrets() throws {
        let config = try ConfigLoader.parse("", file: "/etc/wptsync.toml", baseDirectory: "/srv/wptsync")
        let redactor = Application.secretRedactor(for: config, environment: [
            "https_proxy": "http://me:proxy-pw-1@proxy.example:3128", "ALL_PROXY": "me:bare-pw-22@proxy.example:1080",
            "no_proxy": "localhost", "GITHUB_TOKEN": "not-configured",
        ])
        #expect(redactor("via proxy-pw-1 and bare-pw-22, not-configured") == "via <redacted> and <redacted>, not-configured")
    }

    @Test func aWorkerAnApplicationBuildsStoresErrorsRedacted() throws {
        let u = try UpstreamWorld(tokens: ("bot-token-123", "approver-token-456"))
        let config = try String(contentsOfFile: u.world.config, encoding: .utf8)
        try writeFile(u.world.config, config.replacingOccurrences(
            of: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"",
            with: "token_env = \"WPTSYNC_TEST_GITHUB_TOKEN\"\napprover_token_env = \"WPTSYNC_TEST_APPROVER_TOKEN\""))
        // Only the application's redactor knows the approver token: the bot's HTTP client does not.
        u.github.injectFault(.errorMessage(status: 422, message: "not approver-token-456"), count: 10,
                             pathPrefix: "/repos/web-platform-tests/wpt/pulls")
        try u.world.landInGecko(["testing/web-platform/tests/r.html": "r\n"], message: "Bug 91 - r. r=x")
        // In this process, as in any entry point other than the command line's: nothing installed beforehand.
        let app = try Application(config: try ConfigLoader.load(file: u.world.config), environment: u.world.environment)
        let report = try app.worker().drain()
        #expect(!report.failed.isEmpty)
        let errors = try app.journal.events(state: nil, limit: 100).compactMap(\.lastError)
            + app.journal.syncs(bug: 91, status: nil).compactMap(\.lastError)
        #expect(errors.count >= 2 && errors.allSatisfy { $0.contains("<redacted>") && !$0.contains("approver-token-456") }, "\(errors)")
    }
}
