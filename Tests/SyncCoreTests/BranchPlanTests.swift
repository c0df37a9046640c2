import SyncCore
import Testing

@Suite("Branch plan and push targets")
struct BranchPlanTests {
    @Test func onlyNewChangesetsAtTheEndAreAppended() {
        #expect(BranchPlan.appended(exported: ["a"], wanted: ["a", "b", "c"], head: "h") == ["b", "c"])
        #expect(BranchPlan.appended(exported: ["a", "b"], wanted: ["a"], head: "h") == nil, "a partial backout rebuilds")
        #expect(BranchPlan.appended(exported: ["a", "b"], wanted: ["b", "a", "c"], head: "h") == nil, "a reorder rebuilds")
        #expect(BranchPlan.appended(exported: ["a", "b"], wanted: ["a", "c"], head: "h") == nil)
        #expect(BranchPlan.appended(exported: [], wanted: ["a"], head: nil) == nil, "the first build")
        #expect(BranchPlan.appended(exported: ["a"], wanted: ["a", "b"], head: nil) == nil, "a rebuild asked for")
    }

    @Test func pushURLsAreRead() {
        #expect(PushTarget.of("git@github.com:wpt-sync-bot/wpt.git") == .hosted(host: "github.com", owner: "wpt-sync-bot", name: "wpt"))
        #expect(PushTarget.of("https://token@GitHub.com/o/r/") == .hosted(host: "github.com", owner: "o", name: "r"))
        #expect(PushTarget.of("ssh://git@github.com:22/o/r.git") == .hosted(host: "github.com", owner: "o", name: "r"))
        #expect(PushTarget.of("/srv/wpt.git") == .local && PushTarget.of("file:///srv/wpt.git") == .local)
        #expect(PushTarget.of("http://127.0.0.1:9/o/r") == .local && PushTarget.of("http://[::1]/o/r") == .local)
        #expect(PushTarget.of("https://github.com/o") == .other && PushTarget.of("ftp://github.com/o/r") == .other)
        #expect(PushTarget.gitHost(ofAPI: "https://api.github.com") == "github.com")
        #expect(PushTarget.gitHost(ofAPI: "https://ghe.example.com/api/v3") == "ghe.example.com")
        #expect(PushTarget.gitHost(ofAPI: "http://127.0.0.1:8080") == nil)
    }
}
