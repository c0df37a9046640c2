import Foundation
import LocalServices
import Remote
import TestSupport
import Testing

/// A local Bugzilla with the bot's key and a person's, and clients for both.
struct BugzillaWorld {
    static let bot = "wptsync@mozilla.bugs"
    static let person = "sheriff@mozilla.example"
    let server: LocalBugzilla
    let sleeper = RecordingSleeper()
    let client: BugzillaClient
    let personClient: BugzillaClient

    init() throws {
        server = try LocalBugzilla(users: ["bot-key": Self.bot, "person-key": Self.person])
        client = BugzillaClient(restURL: server.restURL, apiKey: Token("bot-key"), http: testClient(sleeper: sleeper))
        personClient = BugzillaClient(restURL: server.restURL, apiKey: Token("person-key"), http: testClient())
    }

    /// A bug as wptsync files one for an upstream PR.
    func fileSyncBug(pr: Int = 1) throws -> Int {
        try client.createBug(NewBug(
            product: "Testing", component: "web-platform-tests", summary: "[wpt-sync] Sync PR \(pr) - Fix grid",
            description: "Sync of https://github.com/web-platform-tests/wpt/pull/\(pr)", whiteboard: "[wptsync downstream]",
            url: "https://github.com/web-platform-tests/wpt/pull/\(pr)"))
    }
}

/// The Bugzilla error `body` threw, or nil.
func bugzillaError(_ body: () throws -> Void) -> (status: Int, code: Int, message: String, text: String)? {
    do {
        try body()
    } catch let error as RemoteError {
        if case let .bugzilla(_, _, status, code, message) = error { return (status, code, message, "\(error)") }
    } catch {}
    return nil
}

@Suite("Bugzilla client against the local Bugzilla")
struct BugzillaClientTests {
    @Test func filesReadsAndUpdatesABugReportingWhatChanged() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        let read = try w.client.bug(id, fields: ["product", "component", "summary", "status", "whiteboard"])
        #expect(read.product == "Testing" && read.component == "web-platform-tests" && read.status == "NEW")
        #expect(read.summary == "[wpt-sync] Sync PR 1 - Fix grid" && read.whiteboard == "[wptsync downstream]")
        #expect(read.url == nil, "only the fields asked for come back")
        #expect(try w.client.bug(id).url == "https://github.com/web-platform-tests/wpt/pull/1")

        let changes = try w.client.update(id, BugUpdate(
            fields: ["product": "Core", "component": "Layout: Grid", "whiteboard": "[wptsync downstream]"],
            lists: ["keywords": ListChange(add: ["regression", "testcase"])]))
        #expect(changes == [
            "product": BugFieldUpdate(added: "Core", removed: "Testing"),
            "component": BugFieldUpdate(added: "Layout: Grid", removed: "web-platform-tests"),
            "keywords": BugFieldUpdate(added: "regression, testcase", removed: ""),
        ], "an unchanged field is not reported")
        let removed = try w.client.update(id, BugUpdate(lists: ["keywords": ListChange(remove: ["regression"])]))
        #expect(removed == ["keywords": BugFieldUpdate(added: "", removed: "regression")])
        #expect(w.server.bug(id)?.lists["keywords"] == ["testcase"])

        let history = try w.client.history(id)
        #expect(history.map(\.who) == [BugzillaWorld.bot, BugzillaWorld.bot])
        #expect(history[0].changes.map(\.fieldName) == ["product", "component", "keywords"])
        #expect(history[1].changes.first?.removed == "regression")
        #expect(try w.client.whoami().name == BugzillaWorld.bot)
    }

    @Test func commentsAreAddedListedAndCutAt65535Characters() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        let commentID = try w.client.addComment(id, "Try push: https://treeherder.example/jobs?revision=abc")
        let long = String(repeating: "é", count: 70_000)
        _ = try w.client.addComment(id, long)
        let comments = try w.client.comments(id)
        #expect(comments.map(\.count) == [0, 1, 2])
        #expect(comments[0].text == "Sync of https://github.com/web-platform-tests/wpt/pull/1")
        #expect(comments[1].id == commentID && comments[1].creator == BugzillaWorld.bot)
        #expect(comments[2].text.count == 65_535)
    }

    @Test func needinfoAndStatusChangesAreRecorded() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        let asked = try w.client.setNeedinfo(id, requestee: "dev@example.com", comment: "The PR breaks the test runner.")
        #expect(asked == ["flagtypes.name": BugFieldUpdate(added: "needinfo?(dev@example.com)", removed: "")])
        let flags = try w.client.bug(id, fields: ["flags"]).flags ?? []
        #expect(flags.map(\.name) == ["needinfo"] && flags.first?.requestee == "dev@example.com" && flags.first?.status == "?")
        #expect(try w.client.comments(id).last?.text == "The PR breaks the test runner.")

        let closed = try w.client.update(id, BugUpdate(fields: ["status": "RESOLVED", "resolution": "INVALID"]))
        #expect(closed["status"] == BugFieldUpdate(added: "RESOLVED", removed: "NEW"))
        #expect(closed["resolution"] == BugFieldUpdate(added: "INVALID", removed: ""))
        let reopened = try w.client.update(id, BugUpdate(fields: ["status": "REOPENED"]))
        #expect(reopened["resolution"] == BugFieldUpdate(added: "", removed: "INVALID"), "reopening clears the resolution")
        #expect(w.server.bug(id)?.fields["status"] == "REOPENED")

        let cleared = try w.client.update(id, BugUpdate(flags: [.clear(flags[0].id)]))
        #expect(cleared == ["flagtypes.name": BugFieldUpdate(added: "", removed: "needinfo?(dev@example.com)")])
    }

    @Test func bugzillaErrorsCarryTheirCodeAndMessage() throws {
        let w = try BugzillaWorld()
        let missing = bugzillaError { _ = try w.client.bug(99) }
        #expect(missing?.status == 404 && missing?.code == 101 && missing?.message == "Bug #99 does not exist.")
        #expect(missing?.text.contains("error 101, no such bug") == true)

        let component = bugzillaError {
            _ = try w.client.createBug(NewBug(product: "Core", component: "Nope", summary: "s", description: "d"))
        }
        #expect(component?.status == 404 && component?.code == 51)
        #expect(component?.message == "There is no component named 'Nope' in the 'Core' product.")
        let product = bugzillaError {
            _ = try w.client.createBug(NewBug(product: "Nope", component: "General", summary: "s", description: "d"))
        }
        #expect(product?.status == 401 && product?.code == 106)
        let long = bugzillaError {
            _ = try w.client.createBug(NewBug(
                product: "Testing", component: "General", summary: String(repeating: "x", count: 256), description: "d"))
        }
        #expect(long?.code == 104 && long?.message.contains("256 characters") == true)
        let id = try w.fileSyncBug()
        let move = bugzillaError { _ = try w.client.update(id, BugUpdate(fields: ["component": "Layout: Grid"])) }
        #expect(move?.code == 51 && move?.message == "There is no component named 'Layout: Grid' in the 'Testing' product.")
        #expect(w.server.bug(id)?.fields["component"] == "web-platform-tests", "nothing changed")
        #expect(w.server.bugs.count == 1, "no bug was filed by the refused requests")

        var garbled = HTTPRequest(.put, "\(w.server.restURL)/bug/\(id)", body: Array("{\"whiteboard\": ".utf8))
        garbled.authorize(bugzillaKey: Token("bot-key"))
        let answer = try w.client.http.sendReturningErrorStatus(garbled)
        #expect(answer.status == 400 && answer.bodyText.contains("\"code\":32000") && answer.bodyText.contains("Bug.update"))
        #expect(w.server.bug(id)?.history.isEmpty == true)
    }

    @Test func aWrongOrMissingKeyIsRefusedAndTheKeyNeverShows() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        var wrong = w.client
        wrong.apiKey = Token("wrong-secret-key")
        let refused = bugzillaError { _ = try wrong.update(id, BugUpdate(fields: ["whiteboard": "x"])) }
        #expect(refused?.status == 400 && refused?.code == 306)
        #expect(refused?.text.contains("wrong-secret-key") == false)
        var anonymous = w.client
        anonymous.apiKey = nil
        let login = bugzillaError { _ = try anonymous.addComment(id, "hello") }
        #expect(login?.status == 401 && login?.code == 410)
        #expect(try anonymous.bug(id).id == id, "reading needs no key")
        #expect(w.server.bug(id)?.fields["whiteboard"] == "[wptsync downstream]" && w.server.bug(id)?.comments.count == 1)

        w.server.injectFault(.errorMessage(status: 400, message: "Unknown key wrong-secret-key"), count: 1, method: "PUT")
        let echoed = bugzillaError { _ = try wrong.update(id, BugUpdate(fields: ["whiteboard": "x"])) }
        #expect(echoed?.code == 32000 && echoed?.text.contains("Unknown key <redacted>") == true, "a server echoing the key")

        let sent = w.server.requests
        #expect(sent.allSatisfy { $0.query.isEmpty || $0.query.keys.allSatisfy { !$0.lowercased().contains("key") } })
        #expect(sent.compactMap { $0.headers["x-bugzilla-api-key"] } == ["bot-key", "wrong-secret-key", "wrong-secret-key"],
                "keys go in their header")
    }

    @Test func aServerErrorIsRetriedAndAPostIsNotRepeated() throws {
        let w = try BugzillaWorld()
        let id = try w.fileSyncBug()
        w.server.injectFault(.serverError(status: 503), count: 1, method: "GET", pathPrefix: "/rest/bug/\(id)")
        #expect(try w.client.bug(id).id == id)
        w.server.injectFault(.serverError(status: 502), count: 1, method: "PUT")
        #expect(try w.client.update(id, BugUpdate(fields: ["priority": "P3"]))["priority"]?.added == "P3")
        #expect(w.sleeper.delays.count == 2, "each 5xx was followed by a pause and a second attempt")

        w.server.injectFault(.serverErrorAfterActing(status: 502), count: 1, method: "POST")
        #expect { _ = try w.client.addComment(id, "once") } throws: { error in
            (error as? RemoteError).map { if case .outcomeUnknown = $0 { true } else { false } } ?? false
        }
        #expect(w.server.bug(id)?.comments.filter { $0 == "once" }.count == 1, "a POST whose outcome is unknown is not sent again")
    }

    @Test func aBugFiledWithAnUnknownOutcomeIsFoundByItsURL() throws {
        let w = try BugzillaWorld()
        _ = try w.fileSyncBug(pr: 7)
        w.server.injectFault(.serverErrorAfterActing(status: 502), count: 1, method: "POST", pathPrefix: "/rest/bug")
        #expect { _ = try w.fileSyncBug(pr: 8) } throws: { ($0 as? RemoteError)?.httpStatus == 502 }
        let url = "https://github.com/web-platform-tests/wpt/pull/8"
        let found = try w.client.bugs(url: url, fields: ["summary", "url"])
        #expect(found.map(\.id) == [2] && found.first?.summary == "[wpt-sync] Sync PR 8 - Fix grid")
        #expect(found.first?.status == nil, "only the fields asked for")
        #expect(try w.client.bugs(url: url + "0").isEmpty, "the URL matches exactly")
        #expect(w.server.bugs.count == 2)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let w = try BugzillaWorld()
        defer { w.server.stop() }
        w.server.injectFault(.hang, count: 1, method: "GET")
        var client = w.client
        client.timeout = .milliseconds(300)
        client.http.retryPolicy = .never
        #expect { _ = try client.bug(1) } throws: { error in
            (error as? RemoteError).map { if case .timeout = $0 { true } else { false } } ?? false
        }
    }

    /// python-bugzilla, a real client, against the server (skipped when it is not installed).
    @Test(.enabled(if: PythonCrossCheck.available("bugzilla"))) func pythonBugzillaAcceptsTheServer() throws {
        let w = try BugzillaWorld()
        let out = try PythonCrossCheck.run(
            "python_bugzilla_against_local_bugzilla.py",
            environment: ["LOCAL_BUGZILLA_URL": w.server.restURL, "LOCAL_BUGZILLA_KEY": "bot-key"])
        #expect(out.status == 0, "\(out.output)")
        let bug = try #require(w.server.bug(1))
        #expect(bug.fields["status"] == "RESOLVED" && bug.attachments == ["results.txt"])
        #expect(w.server.bugs.count == 1)
    }
}
