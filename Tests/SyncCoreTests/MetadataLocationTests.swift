import Testing
@testable import SyncCore

@Suite("Metadata locations of test ids")
struct MetadataLocationTests {
    static func location(_ id: String) -> [String]? {
        MetadataLocation(testID: id).map { [$0.path, $0.section] }
    }

    @Test func aPageTestIsItsFileWithTheQueryInTheSection() {
        #expect(Self.location("/css/a/b.html?x=1") == ["testing/web-platform/meta/css/a/b.html.ini", "b.html?x=1"])
        #expect(Self.location("/css/a/b.html") == ["testing/web-platform/meta/css/a/b.html.ini", "b.html"])
        #expect(Self.location("/dom/a.html?x=1/y") == ["testing/web-platform/meta/dom/a.html.ini", "a.html?x=1/y"])
        #expect(Self.location("/svg/c.svg#frag") == ["testing/web-platform/meta/svg/c.svg.ini", "c.svg#frag"])
        #expect(Self.location("/webdriver/tests/classic/get_title/get.py") == [
            "testing/web-platform/meta/webdriver/tests/classic/get_title/get.py.ini", "get.py"])
        #expect(Self.location("/top.html") == ["testing/web-platform/meta/top.html.ini", "top.html"])
    }

    @Test func everyGlobalOfAnAnyJsTestSharesTheScriptsFile() {
        #expect(Self.location("/x/y.any.html") == ["testing/web-platform/meta/x/y.any.js.ini", "y.any.html"])
        #expect(Self.location("/x/y.any.worker.html") == ["testing/web-platform/meta/x/y.any.js.ini", "y.any.worker.html"])
        #expect(Self.location("/x/y.any.sharedworker.html?wss") == ["testing/web-platform/meta/x/y.any.js.ini", "y.any.sharedworker.html?wss"])
        #expect(Self.location("/x/y.https.any.serviceworker.html") == ["testing/web-platform/meta/x/y.https.any.js.ini", "y.https.any.serviceworker.html"])
        #expect(Self.location("/x/y.any.worker-module.html") == ["testing/web-platform/meta/x/y.any.js.ini", "y.any.worker-module.html"])
        #expect(Self.location("/x/y.any.js") == ["testing/web-platform/meta/x/y.any.js.ini", "y.any.js"])
    }

    @Test func workerAndWindowScriptsAreTheirJsFile() {
        #expect(Self.location("/x/y.worker.html") == ["testing/web-platform/meta/x/y.worker.js.ini", "y.worker.html"])
        #expect(Self.location("/x/y.window.html?a=b") == ["testing/web-platform/meta/x/y.window.js.ini", "y.window.html?a=b"])
        #expect(Self.location("/x/y.tentative.window.html") == ["testing/web-platform/meta/x/y.tentative.window.js.ini", "y.tentative.window.html"])
        #expect(MetadataLocation.sourcePath(forTest: "/x/worker.html") == "x/worker.html")
        #expect(MetadataLocation.sourcePath(forTest: "/x/.worker.html") == "x/.worker.html")
    }

    @Test func geckosOwnTestsLiveUnderTheMozillaRoot() {
        #expect(Self.location("/_mozilla/dom/a.any.worker.html") == ["testing/web-platform/mozilla/meta/dom/a.any.js.ini", "a.any.worker.html"])
    }

    @Test func whatIsNotATestIdHasNoLocation() {
        for id in ["", "css/a.html", "/css/", "/css//a.html", "/css/../a.html", "?x=1", "/"] {
            #expect(MetadataLocation(testID: id) == nil, "\(id)")
        }
        let grouped = MetadataLocation.group(["/x/y.any.html": 1, "/x/y.any.worker.html": 2, "/x/z.html": 3, "bad": 4])
        #expect(grouped.files == ["testing/web-platform/meta/x/y.any.js.ini": ["y.any.html": 1, "y.any.worker.html": 2],
                                  "testing/web-platform/meta/x/z.html.ini": ["z.html": 3]])
        #expect(grouped.invalid == ["bad"])
    }
}
