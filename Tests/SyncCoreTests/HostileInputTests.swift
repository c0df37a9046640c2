import SyncCore
import Testing

@Suite("Hostile upstream input (pure)")
struct HostileInputTests {
    private func sha(_ c: Character) -> String { String(repeating: c, count: 40) }
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("symlinks stay in the tree only when their target, from the link's folder, climbs first and no higher than the root",
          arguments: [
              ("a.html", "b.html", true), ("css/link", "../resources/x.js", true), ("a/b/link", "../../c", true),
              ("a/link", "./b/./c", true), ("a/link", "..", true), ("a/b/link", ".././../c/", true),
              ("a/link", "./b/../c", false), ("a/b/link", "x/y/../../../..", false), ("link", "x/x/x/../../..", false),
              ("link", "../x", false), ("a/link", "../../x", false), ("a/b/link", "../../../../.hg/hgrc", false),
              ("link", "/etc/passwd", false), ("a/link", "//x", false), ("link", "", false), ("link", "a\u{0}b", false),
              ("link", "a/../../b", false), ("a/link", "b/../../../c", false),
          ])
    func symlinkTargets(link: String, target: String, inside: Bool) {
        #expect(ImportRefusal.staysInTree(link: bytes(link), target: bytes(target)) == inside)
    }

    @Test("an upstream file is refused for control characters in its name, or for being a symlink leading out")
    func refusals() {
        for name in ["a\u{1B}[31m.html", "bell\u{7}", "del\u{7F}", "c1\u{9B}x", "tab\tname"] {
            #expect(ImportRefusal.check(path: bytes(name), symlinkTarget: nil) == .controlCharacters, "\(name.debugDescription)")
        }
        #expect(ImportRefusal.check(path: bytes("café/ok-é.html"), symlinkTarget: nil) == nil)
        #expect(ImportRefusal.check(path: [0x63, 0x61, 0x66, 0xE9], symlinkTarget: nil) == nil, "not UTF-8, but no control character")
        #expect(ImportRefusal.check(path: bytes("x/link"), symlinkTarget: bytes("/etc/passwd")) == .symlinkLeavingTree)
        #expect(ImportRefusal.check(path: bytes("x/link"), symlinkTarget: bytes("../y")) == nil)
        #expect(ImportRefusal.check(path: bytes("x/link"), symlinkTarget: nil) == nil, "not a symlink: the contents are no target")
    }

    @Test("a conflict entry gives back its path whatever the refusal", arguments: ImportRefusal.allCases)
    func conflictEntries(refusal: ImportRefusal) {
        #expect(ImportRefusal.path(ofConflictEntry: "dir/x.html" + refusal.marker) == "dir/x.html")
        #expect(ImportRefusal.path(ofConflictEntry: "dir/x.html") == "dir/x.html")
        #expect(ImportRefusal.of(conflictEntry: "dir/x.html" + refusal.marker) == refusal)
        #expect(ImportRefusal.of(conflictEntry: "dir/x.html") == nil, "a file that did not merge is no refusal")
    }

    @Test("messages lose C0, C1 and DEL but keep line feeds and tabs; CR LF becomes LF")
    func cleanedMessages() {
        let raw = bytes("Title \u{1B}[2J\u{7}\r\nbody\there\u{7F} \u{85}\u{9B}31m é\u{0}\n")
        #expect(ControlCharacters.cleanedMessage(raw, limit: 1000) == bytes("Title [2J\nbody\there 31m é\n"))
        #expect(ControlCharacters.cleanedMessage([0x66, 0xFF, 0x1B, 0x67], limit: 10) == [0x66, 0xFF, 0x67], "other bytes are left alone")
    }

    @Test("a long message is cut at a character boundary and says so")
    func truncation() {
        let cut = ControlCharacters.cleanedMessage(bytes("ab" + String(repeating: "é", count: 10)), limit: 5)
        #expect(String(decoding: cut, as: UTF8.self) == "abé\n[truncated]\n")
        #expect(ControlCharacters.cleanedMessage(bytes("abcde"), limit: 5) == bytes("abcde"))
    }

    @Test("escaping shows every control character and leaves other text as it is")
    func escaping() {
        #expect(ControlCharacters.escaped("file\u{1B}]0;owned\u{7}.html\r\n\tx\u{7F}\u{9B}") == "file\\u{1B}]0;owned\\u{7}.html\\r\\n\\tx\\u{7F}\\u{9B}")
        #expect(ControlCharacters.escaped("plain é ✓ text") == "plain é ✓ text")
    }

    @Test("imported messages are cleaned and each is capped at 64 KiB")
    func importedMessages() {
        let huge = "Huge\n\n" + String(repeating: "x", count: 200_000)
        let bytes = LandingText.pullRequestCommit(bug: 1, pullRequest: 2, title: "T\u{1B}[1mitle\u{9B}",
                                                  commits: [(sha("a"), self.bytes("Evil \u{1B}]2;pwned\u{7}\r\nbody\n")), (sha("b"), self.bytes(huge))])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("Bug 1 [wpt PR 2] - T[1mitle, a=testonly\n\nAutomatic update from web-platform-tests\nEvil ]2;pwned\nbody\n\n--\nHuge\n\n"))
        #expect(!text.unicodeScalars.contains { ControlCharacters.isControl($0) && $0 != "\n" && $0 != "\t" })
        #expect(text.contains("x\n[truncated]\n\n--\n") && bytes.count < LandingText.messageLimit + 1000)
        #expect(text.hasSuffix("wpt-pr: 2\nwpt-commits: \(sha("a")), \(sha("b"))\n"))
        #expect(LandingText.user(name: "Evil\u{1B}[31m\nName", email: "e@x\u{7}.org") == "Evil[31m Name <e@x.org>")
        let direct = String(decoding: LandingText.commitWithoutPullRequest(bug: 1, sha: sha("c"), message: self.bytes("Fix\u{1B}[8m it\u{85}now\n")), as: UTF8.self)
        #expect(direct.hasPrefix("Bug 1 [wpt commit \(sha("c").prefix(12))] - Fix[8m it now, a=testonly\n"))
    }
}
