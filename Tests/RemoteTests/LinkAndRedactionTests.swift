@testable import Remote
import Testing

@Suite("Link header parsing")
struct LinkHeaderTests {
    @Test func githubPagination() {
        let header = #"<https://api.github.com/repositories/1/pulls?page=2&per_page=100>; rel="next", "#
            + #"<https://api.github.com/repositories/1/pulls?page=14&per_page=100>; rel="last""#
        #expect(parseLinkHeader(header) == [
            "next": "https://api.github.com/repositories/1/pulls?page=2&per_page=100",
            "last": "https://api.github.com/repositories/1/pulls?page=14&per_page=100",
        ])
    }

    @Test func unquotedSeveralRelationsAndOtherParameters() {
        let header = #"<https://h/a,b>; title="x; y"; REL=prev, <https://h/c>; rel="first last""#
        let links = parseLinkHeader(header)
        #expect(links["prev"] == "https://h/a,b")
        #expect(links["first"] == "https://h/c")
        #expect(links["last"] == "https://h/c")
    }

    @Test func emptyOrMalformed() {
        #expect(parseLinkHeader("").isEmpty)
        #expect(parseLinkHeader("garbage; rel=next").isEmpty)
        #expect(parseLinkHeader("<https://h/x>").isEmpty)
    }
}

@Suite("Redaction")
struct RedactionTests {
    @Test func excerptsRedactSecretsBeforeCollapsingWhitespace() {
        #expect(Redaction.excerpt(Array("a\n two  words\tsecret b".utf8), removing: ["two  words\tsecret"]) == "a <redacted> b")
    }

    @Test func userinfoAndSecretQueryValues() {
        #expect(Redaction.url("https://user:pw@github.com/o/r.git") == "https://<redacted>@github.com/o/r.git")
        #expect(Redaction.url("https://h/p?a=1&access_token=s3cret&b=2#frag") == "https://h/p?a=1&access_token=<redacted>&b=2#frag")
        #expect(Redaction.url("https://h/rest/bug/1?api_key=k3y&Bugzilla_api_key=k3y")
            == "https://h/rest/bug/1?api_key=<redacted>&Bugzilla_api_key=<redacted>", "Bugzilla's key parameters")
        #expect(Redaction.url("https://h/p?page=2") == "https://h/p?page=2")
        #expect(Redaction.url("https://h/p@x") == "https://h/p@x")
    }

    @Test func headersHideAuthorization() {
        let headers: HTTPHeaders = ["authorization": "Bearer abc123", "Accept": "application/json"]
        #expect(headers.description == "[authorization: <redacted>, Accept: application/json]")
        let bugzilla: HTTPHeaders = ["X-BUGZILLA-API-KEY": "k3y"]
        #expect(bugzilla.description == "[X-BUGZILLA-API-KEY: <redacted>]")
    }

    @Test func settingAHeaderReplacesAllSpellings() {
        var headers: HTTPHeaders = ["ACCEPT": "a", "accept": "b"]
        headers["Accept"] = "c"
        #expect(headers.values(for: "accept") == ["c"])
        headers["accept"] = nil
        #expect(headers.fields.isEmpty)
    }
}
