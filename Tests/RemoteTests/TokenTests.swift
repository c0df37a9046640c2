import Foundation
import Remote
import Testing

@Suite("Token")
struct TokenTests {
    @Test func printsRedacted() {
        let token = Token("ghp_abcdef")
        #expect("\(token)" == "<redacted>")
        #expect(String(reflecting: token) == "Token(<redacted>)")
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("ghp_abcdef"))
        #expect(token.revealedValue == "ghp_abcdef")
    }

    @Test func fromEnvironmentTrimsWhitespace() throws {
        let token = try Token.fromEnvironment("WPTSYNC_GH_TOKEN", environment: ["WPTSYNC_GH_TOKEN": "  tok\n"])
        #expect(token.revealedValue == "tok")
    }

    @Test(arguments: [[:], ["WPTSYNC_GH_TOKEN": " \n"]])
    func fromEnvironmentMissingOrEmpty(environment: [String: String]) {
        #expect {
            try Token.fromEnvironment("WPTSYNC_GH_TOKEN", environment: environment)
        } throws: { error in
            guard case .tokenUnavailable(let source, _) = error as? RemoteError else { return false }
            return source == "environment variable WPTSYNC_GH_TOKEN" && "\(error)".contains("WPTSYNC_GH_TOKEN")
        }
    }

    @Test func fromFileTrimsWhitespace() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wptsync-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "ghp_fromfile\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Token.fromFile(path).revealedValue == "ghp_fromfile")
    }

    @Test func fromFileMissingOrEmpty() throws {
        let missing = "/nonexistent/wptsync/token"
        #expect(throws: RemoteError.tokenUnavailable(source: "file \(missing)", reason: "cannot be read")) {
            try Token.fromFile(missing)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wptsync-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "  \n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RemoteError.tokenUnavailable(source: "file \(path)", reason: "empty")) {
            try Token.fromFile(path)
        }
    }
}
