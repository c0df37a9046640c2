import Testing
@testable import SyncCore

private let nodeA = String(repeating: "a", count: 40)
private let nodeB = String(repeating: "b", count: 40)
private let autoland = GeckoRepository(name: "autoland", path: "/repos/autoland", role: .integration)

@Suite("Mercurial changegroup input")
struct HgChangegroupInputTests {
    @Test func recordsAPushWithEveryField() throws {
        let env = ["HG_NODE": nodeA, "HG_NODE_LAST": nodeB, "HG_SOURCE": "serve", "HG_URL": "remote:ssh:1.2.3.4",
                   "HG_HOOKTYPE": "changegroup", "HG_TXNID": "TXN:abc", "USER": "alice@example.com"]
        let decision = try HookInput.hgChangegroup(environment: env, repository: autoland)
        #expect(decision == .record(.hgPush(HgPush(repository: "autoland", firstNode: nodeA, lastNode: nodeB, source: "serve",
                                                    url: "remote:ssh:1.2.3.4", user: "alice@example.com", transaction: "TXN:abc"))))
    }

    @Test func lastNodeDefaultsToFirstAndNodesAreLowercased() throws {
        let upper = String(repeating: "C", count: 40)
        guard case .record(.hgPush(let push)) = try HookInput.hgChangegroup(environment: ["HG_NODE": upper, "HG_SOURCE": "push"], repository: autoland) else {
            Issue.record("expected a recorded push"); return
        }
        #expect(push.firstNode == upper.lowercased())
        #expect(push.lastNode == push.firstNode)
    }

    @Test func remoteUserWinsOverUser() throws {
        guard case .record(.hgPush(let push)) = try HookInput.hgChangegroup(
            environment: ["HG_NODE": nodeA, "HG_SOURCE": "serve", "REMOTE_USER": "bob", "USER": "hg"], repository: autoland) else {
            Issue.record("expected a recorded push"); return
        }
        #expect(push.user == "bob")
    }

    @Test(arguments: [
        (["HG_SOURCE": "push"], HookInputError.missingVariable("HG_NODE")),
        (["HG_NODE": "xyz", "HG_SOURCE": "push"], .invalidNode(variable: "HG_NODE", value: "xyz")),
        (["HG_NODE": nodeA, "HG_NODE_LAST": "123", "HG_SOURCE": "push"], .invalidNode(variable: "HG_NODE_LAST", value: "123")),
        (["HG_NODE": nodeA], .missingVariable("HG_SOURCE")),
        (["HG_NODE": nodeA, "HG_SOURCE": "push; rm -rf /"], .invalidValue(variable: "HG_SOURCE", value: "push; rm -rf /")),
        (["HG_NODE": nodeA, "HG_SOURCE": "push", "HG_HOOKTYPE": "pretxnchangegroup"], .invalidValue(variable: "HG_HOOKTYPE", value: "pretxnchangegroup")),
    ])
    func rejectsMalformedEnvironments(env: [String: String], expected: HookInputError) {
        #expect(throws: expected) { try HookInput.hgChangegroup(environment: env, repository: autoland) }
    }

    @Test func theNullRevisionIsRefusedAsFirstOrLastNode() {
        #expect(throws: HookInputError.nullNode(variable: "HG_NODE")) {
            try HookInput.hgChangegroup(environment: ["HG_NODE": RefUpdate.zero, "HG_NODE_LAST": nodeA, "HG_SOURCE": "push"], repository: autoland)
        }
        #expect(throws: HookInputError.nullNode(variable: "HG_NODE_LAST")) {
            try HookInput.hgChangegroup(environment: ["HG_NODE": nodeA, "HG_NODE_LAST": RefUpdate.zero, "HG_SOURCE": "push"], repository: autoland)
        }
        #expect(HookInputError.nullNode(variable: "HG_NODE").description == "HG_NODE is the null revision (40 zeros), not a changeset")
    }

    @Test func errorsNameTheVariable() {
        #expect(HookInputError.invalidNode(variable: "HG_NODE", value: "zz\u{1}").description == "HG_NODE is not a 40-digit hex node: \"zz\\u{1}\"")
    }

    @Test func skipsSourcesNotConfiguredAndDisabledRepositories() throws {
        #expect(try HookInput.hgChangegroup(environment: ["HG_NODE": nodeA, "HG_SOURCE": "strip"], repository: autoland)
                == .skip("source strip is not recorded for autoland"))
        var disabled = autoland
        disabled.enabled = false
        #expect(try HookInput.hgChangegroup(environment: ["HG_NODE": nodeA, "HG_SOURCE": "push"], repository: disabled)
                == .skip("recording is disabled for autoland"))
    }
}

@Suite("git post-receive input")
struct GitPostReceiveInputTests {
    let mirror = WPTMirror(path: "/repos/wpt.git", refs: ["refs/heads/master", "refs/pull/*/head"])

    func parse(_ text: String) -> (HookDecision, [HookInputError]) {
        let result = HookInput.gitPostReceive(stdin: Array(text.utf8), mirror: mirror, repositoryName: "wpt")
        return (result.decision, result.problems)
    }

    @Test func recordsMatchingRefsAndSkipsOthers() {
        let (decision, problems) = parse("\(nodeA) \(nodeB) refs/heads/master\n\(nodeA) \(nodeB) refs/heads/other\n\(RefUpdate.zero) \(nodeB) refs/pull/12/head\n")
        #expect(problems.isEmpty)
        #expect(decision == .record(.gitPush(GitPush(repository: "wpt", updates: [
            RefUpdate(old: nodeA, new: nodeB, ref: "refs/heads/master"),
            RefUpdate(old: RefUpdate.zero, new: nodeB, ref: "refs/pull/12/head"),
        ]))))
    }

    @Test func onlyUnrecordedRefsIsASkip() {
        let (decision, problems) = parse("\(nodeA) \(nodeB) refs/heads/feature\r\n")
        #expect(problems.isEmpty)
        #expect(decision == .skip("refs not recorded: refs/heads/feature"))
    }

    @Test func garbageIsReportedByLineAndNothingIsRecorded() {
        let (decision, problems) = parse("hello world\n\(nodeA) \(nodeB) refs/heads/../master\nnot-hex \(nodeB) refs/heads/master\n")
        #expect(decision == .skip("no ref updates to record"))
        #expect(problems.count == 3)
        #expect(problems.map(\.description).first == "stdin line 1: expected \"<old> <new> <ref>\", got \"hello world\"")
        #expect(problems.map(\.description).contains("stdin line 2: invalid ref name \"refs/heads/../master\""))
    }

    @Test func aFloodOfGarbageNamesTheFirstFewLinesCountsTheRestAndKeepsTheValidLine() {
        var lines = (1...100_000).map { "garbage \($0)" }
        lines.insert("\(nodeA) \(nodeB) refs/heads/master", at: 50_000)
        let (decision, problems) = parse(lines.joined(separator: "\n") + "\n")
        #expect(decision == .record(.gitPush(GitPush(repository: "wpt", updates: [RefUpdate(old: nodeA, new: nodeB, ref: "refs/heads/master")]))))
        #expect(problems.map(\.description) == (1...5).map { "stdin line \($0): expected \"<old> <new> <ref>\", got \"garbage \($0)\"" }
                + ["and 99995 more malformed stdin line(s), not shown"])
    }

    @Test func manyUnrecordedRefsAreNamedFirstFewThenCounted() {
        let (decision, _) = parse((1...8).map { "\(nodeA) \(nodeB) refs/heads/b\($0)" }.joined(separator: "\n"))
        #expect(decision == .skip("refs not recorded: refs/heads/b1, refs/heads/b2, refs/heads/b3, refs/heads/b4, refs/heads/b5 and 3 more"))
    }

    @Test func nonUTF8LinesAreRejected() {
        var bytes = Array("\(nodeA) \(nodeB) refs/heads/ma".utf8)
        bytes += [0xFF, 0xFE, 0x0A]
        let result = HookInput.gitPostReceive(stdin: bytes, mirror: mirror, repositoryName: "wpt")
        #expect(result.problems == [.malformedLine(number: 1, reason: "not UTF-8")])
    }

    @Test func zeroOnBothSidesIsRefusedButCreationsAndDeletionsAreRecorded() {
        let (decision, problems) = parse("""
            \(RefUpdate.zero) \(RefUpdate.zero) refs/heads/master
            \(RefUpdate.zero) \(nodeA) refs/pull/1/head
            \(nodeB) \(RefUpdate.zero) refs/pull/2/head

            """)
        #expect(problems.map(\.description) == ["stdin line 1: old and new are both the zero object name: no ref update"])
        #expect(decision == .record(.gitPush(GitPush(repository: "wpt", updates: [
            RefUpdate(old: RefUpdate.zero, new: nodeA, ref: "refs/pull/1/head"),
            RefUpdate(old: nodeB, new: RefUpdate.zero, ref: "refs/pull/2/head"),
        ]))))
    }

    @Test func deletionsAndCreationsAreFlagged() {
        let update = RefUpdate(old: nodeA, new: RefUpdate.zero, ref: "refs/heads/master")
        #expect(update.isDeletion && !update.isCreation)
    }

    @Test func dedupeKeysIdentifyThePush() {
        let a = EventPayload.hgPush(HgPush(repository: "autoland", firstNode: nodeA, lastNode: nodeB, source: "push"))
        var b = a
        if case .hgPush(var push) = b { push.user = "someone else"; b = .hgPush(push) }
        let c = EventPayload.hgPush(HgPush(repository: "central", firstNode: nodeA, lastNode: nodeB, source: "push"))
        #expect(a.dedupeKey == b.dedupeKey)
        #expect(a.dedupeKey != c.dedupeKey)
    }
}

@Suite("Ref names and backoff")
struct RefNameAndBackoffTests {
    @Test(arguments: ["refs/heads/master", "refs/heads/gecko/1234567", "refs/pull/12/head", "refs/tags/v1.0"])
    func validRefs(_ name: String) { #expect(RefName.isValid(name)) }

    @Test(arguments: ["master", "refs/heads/a..b", "refs/heads/x.lock", "refs/heads/x/", "refs/heads/.hidden", "refs/heads/a b",
                      "refs/heads/a~1", "refs/heads/a^", "refs/heads/a:b", "refs/heads/a?", "refs/heads/a*", "refs/heads/a[",
                      "refs/heads/a\\b", "refs/heads/a@{1}", "refs//heads", "refs/heads/a\u{7f}"])
    func invalidRefs(_ name: String) { #expect(!RefName.isValid(name)) }

    /// GitHub's shas, from deliveries and from listings alike: 40 lowercase hex digits, nothing else.
    @Test func commitIDsAreFortyLowercaseHexDigits() {
        #expect(Hex.isCommitID(String(repeating: "0123456789abcdef", count: 3).prefix(40).description))
        for bad in ["", "abc", String(repeating: "A", count: 40), String(repeating: "a", count: 39), String(repeating: "a", count: 41),
                    String(repeating: "g", count: 40), String(repeating: "a", count: 39) + "\n", "../" + String(repeating: "a", count: 37)] {
            #expect(!Hex.isCommitID(bad), "\(bad.debugDescription)")
        }
    }

    @Test func branchNamesAreWhatFollowsRefsHeads() {
        #expect(RefName.isBranch("grid-1") && RefName.isBranch("gecko/1234567"))
        for bad in ["", "a..b", "-/x/", "a b", "x.lock", "/x", "a\u{0}b", "../../etc"] { #expect(!RefName.isBranch(bad), "\(bad.debugDescription)") }
    }

    @Test func globsMatchOneComponent() {
        #expect(RefName.matches("refs/pull/12/head", pattern: "refs/pull/*/head"))
        #expect(!RefName.matches("refs/pull/12/merge", pattern: "refs/pull/*/head"))
        #expect(!RefName.matches("refs/pull/1/2/head", pattern: "refs/pull/*/head"))
    }

    @Test func backoffDoublesUpToTheCap() {
        let backoff = Backoff(baseSeconds: 30, maxSeconds: 3600)
        #expect((1...9).map { backoff.delay(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(backoff.delay(afterAttempt: 2, jitter: 1) == 30)
        #expect(backoff.delay(afterAttempt: 1000) == 3600)
    }
}

@Suite("Pushing user")
struct PushingUserTests {
    @Test func theFirstSetVariableIsTakenOnlyWhenItIsALoginOrAnAddress() {
        #expect(HookInput.user(environment: ["REMOTE_USER": "bob@mozilla.com", "USER": "hg"]) == "bob@mozilla.com")
        #expect(HookInput.user(environment: ["REMOTE_USER": "", "USER": "alice"]) == "alice")
        #expect(HookInput.user(environment: ["LOGNAME": "carol+x@example.org"]) == "carol+x@example.org")
        #expect(HookInput.user(environment: [:]) == nil)
        for bad in ["alice;rm -rf", "a b", "-rf", "(uid=*)", "é", String(repeating: "a", count: 257), "x\ny"] {
            #expect(HookInput.user(environment: ["USER": bad]) == nil, "\(bad)")
        }
    }
}

@Suite("HookInput: post-receive of a git Gecko repository")
struct GeckoPostReceiveTests {
    let nodeA = String(repeating: "a", count: 40)
    let nodeB = String(repeating: "b", count: 40)
    var gecko: GeckoRepository {
        var repo = GeckoRepository(name: "autoland", path: "/repos/autoland.git", role: .integration)
        repo.kind = .git
        repo.branch = "refs/heads/autoland"
        return repo
    }

    @Test func onlyItsBranchIsRecordedUnderItsName() {
        let result = HookInput.gitPostReceive(stdin: Array("\(nodeA) \(nodeB) refs/heads/autoland\n\(nodeA) \(nodeB) refs/heads/main\n".utf8), gecko: gecko)
        #expect(result.problems.isEmpty)
        #expect(result.decision == .record(.gitPush(GitPush(repository: "autoland", updates: [RefUpdate(old: nodeA, new: nodeB, ref: "refs/heads/autoland")]))))
        let other = HookInput.gitPostReceive(stdin: Array("\(nodeA) \(nodeB) refs/heads/main\n".utf8), gecko: gecko)
        #expect(other.decision == .skip("refs not recorded: refs/heads/main"))
        var disabled = gecko
        disabled.enabled = false
        #expect(HookInput.gitPostReceive(stdin: Array("\(nodeA) \(nodeB) refs/heads/autoland\n".utf8), gecko: disabled).decision
                == .skip("recording is disabled for autoland"))
    }
}
