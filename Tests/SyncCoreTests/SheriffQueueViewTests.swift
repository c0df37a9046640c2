import Foundation
import SyncCore
import Testing

@Suite("Sheriff page view (pure)")
struct SheriffQueueViewTests {
    let tip = String(repeating: "a", count: 40), node = String(repeating: "b", count: 40)

    func request(_ id: Int64, _ phase: AutolandPhase, audit: [AutolandAudit] = []) -> AutolandRequest {
        var request = AutolandRequest(id: id, repository: "try", tip: tip, nodes: [node], requester: "alice@mozilla.com", tree: "autoland",
                                      bugs: [123], state: AutolandState(phase: phase), receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
        request.state.failedJobs = [FailedJob(name: "wpt-1", jobID: 77, taskID: "TASK", result: "testfailed")]
        request.audit = audit
        return request
    }

    @Test("links: Bugzilla's REST address becomes its show_bug page; Treeherder selects the failed job; changesets link only with a url")
    func links() {
        var config = Config(store: StoreSettings(path: "/j.sqlite"), gecko: [GeckoRepository(name: "try", path: "/try", role: .try,
                                                                                               url: "https://hg.example/try/")])
        config.autoland = AutolandSettings(defaultTree: "autoland", trees: ["autoland"])
        config.autoland?.bugzillaURL = "https://bugzilla.example/rest/"
        config.autoland?.treeherderURL = "https://th.example/"
        let links = SheriffLinks(config: config)
        #expect(links.bug(5) == "https://bugzilla.example/show_bug.cgi?id=5")
        let queued = request(1, .queued)
        #expect(links.job(queued.state.failedJobs[0], of: queued) == "https://th.example/jobs?repo=try&revision=\(tip)&selectedJob=77")
        #expect(links.changeset(node, in: "try") == "https://hg.example/try/rev/\(node)")
        #expect(links.changeset(node, in: "other") == nil)
        config.autoland?.bugzillaURL = nil
        config.autoland?.treeherderURL = nil
        #expect(SheriffLinks(config: config).bug(5) == "https://bugzilla.mozilla.org/show_bug.cgi?id=5")
        #expect(SheriffLinks(config: config).push(queued).hasPrefix("https://treeherder.mozilla.org/jobs?repo=try&revision="))
    }

    @Test("only queued requests are listed; the audit log is newest first across requests and capped")
    func queueAndAudit() {
        let at = { (seconds: Double) in Date(timeIntervalSince1970: 1_700_000_000 + seconds) }
        let landed = request(1, .landed, audit: [AutolandAudit(who: "autoland", at: at(1), phase: .queued, why: "wpt-1 failed again"),
                                                 AutolandAudit(who: "sam", at: at(5), phase: .landing, why: nil)])
        let queued = request(2, .queued, audit: [AutolandAudit(who: "autoland", at: at(3), phase: .queued, why: nil)])
        let links = SheriffLinks(treeherder: "https://th", bugzilla: "https://bz")
        let view = SheriffQueueView.make(queued: [queued, landed], recent: [queued, landed], links: links, user: nil, mayDecide: true,
                                         readOnlyBecause: nil, formToken: "t")
        #expect(view.items.map(\.id) == [2])
        #expect(view.items[0].bugs == [SheriffQueueView.Link(text: "Bug 123", url: "https://bz/show_bug.cgi?id=123")])
        #expect(view.items[0].changesets == [SheriffQueueView.Link(text: String(node.prefix(12)), url: nil)])
        #expect(view.items[0].failedJobs.map(\.url) == ["https://th/jobs?repo=try&revision=\(tip)&selectedJob=77"])
        #expect(view.audit.map { "\($0.request) \($0.who) \($0.phase)" } == ["1 sam landing", "2 autoland queued", "1 autoland queued"])
        #expect(!view.mayDecide, "nobody signed in decides")

        let many = (1...30).map { id in
            request(Int64(id), .landed, audit: [AutolandAudit(who: "a", at: at(Double(id)), phase: .queued, why: nil),
                                                AutolandAudit(who: "b", at: at(Double(id) + 0.5), phase: .landed, why: nil)])
        }
        let capped = SheriffQueueView.make(queued: [], recent: many, links: links, user: "sam", mayDecide: true, readOnlyBecause: nil, formToken: "t")
        #expect(capped.audit.count == SheriffQueueView.auditLength && capped.audit.first?.request == 30 && capped.mayDecide)
    }

    @Test("pushed text is shown with control characters escaped; the outcome names the phase, node and reason")
    func escapingAndOutcome() {
        var hostile = request(3, .queued, audit: [AutolandAudit(who: "sam", at: Date(), phase: .rejected, why: "bad\u{1b}[31m")])
        hostile.state.failedJobs[0].name = "wpt\u{7}"
        let view = SheriffQueueView.make(queued: [hostile], recent: [hostile], links: SheriffLinks(treeherder: "t", bugzilla: "b"),
                                         user: "sam", mayDecide: false, readOnlyBecause: "not a member", formToken: "t")
        #expect(!view.items[0].failedJobs[0].name.contains("\u{7}") && view.audit[0].why?.contains("\u{1b}") == false)
        var landed = request(4, .landed)
        landed.state.landedNode = node
        #expect(SheriffQueueView.outcome(landed) == "Request 4 is now landed (landed as \(node.prefix(12)))")
        var rejected = request(5, .rejected)
        rejected.state.reason = "rejected by sam: flaky"
        #expect(SheriffQueueView.outcome(rejected) == "Request 5 is now rejected: rejected by sam: flaky")
    }
}
