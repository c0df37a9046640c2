import Foundation
import SyncCore
import Testing

@Suite("Redactor")
struct RedactorTests {
    static let token = "t0k'\"$(id)\\`;&|<>%\\\n-é/ +"
    let redact = Redactor([token, "second-secret", "ab"])

    @Test func rawJSONEscapedAndPercentEncodedFormsAreRedacted() throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["m": Self.token], options: []), as: UTF8.self)
        let asciiJSON = #"{"m":"t0k'\"$(id)\\`;&|<>%\\\n-\u00E9\/ +"}"#
        let query = try #require(Self.token.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let path = try #require(Self.token.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed))
        for text in [Self.token, json, asciiJSON, query, query.lowercased(), path, "x second-secret y", "second%2Dsecret"] {
            let redacted = redact("before \(text) after")
            #expect(redacted.contains("<redacted>") && !redacted.contains("t0k") && !redacted.contains("secret"), "\(text) → \(redacted)")
            #expect(redacted.hasPrefix("before ") && redacted.hasSuffix(" after"), "\(redacted)")
        }
    }

    @Test func everythingElseIsLeftAlone() {
        let text = "about 50% of tabs, t0k, é and a lab with ab in it"
        #expect(redact(text) == text)
        #expect(Redactor.none(Self.token) == Self.token)
    }

    @Test func neverPrintsItsSecrets() {
        var dumped = ""
        dump(redact, to: &dumped)
        #expect(!"\(redact) \(String(reflecting: redact)) \(dumped)".contains("second-secret"))
    }
}
