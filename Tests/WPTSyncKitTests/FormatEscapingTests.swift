import Foundation
@testable import Store
import SyncCore
import Testing
import WPTSyncKit

/// The one-line outputs of `wptsync landings`, `list`, `show` and `events` hold upstream text (file
/// names, errors): control characters in it are shown escaped, never sent to the terminal.
@Suite("Line outputs escape control characters")
struct FormatEscapingTests {
    private let evil = "x\u{1B}]0;owned\u{7}\u{1B}[2J\r\n\u{9B}y"
    private let shown = "x\\u{1B}]0;owned\\u{7}\\u{1B}[2J\\r\\n\\u{9B}y"

    private func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: ControlCharacters.isControl)
    }

    @Test func landings() {
        var landing = Landing(id: 3, status: .needsFixup, upstreamBase: String(repeating: "a", count: 40),
                              upstreamHead: String(repeating: "b", count: 40), units: [])
        landing.conflict = LandingConflict(pullRequest: 9, commit: String(repeating: "c", count: 40), files: [evil + ".html"])
        landing.lastError = evil
        let line = LandingFormat.line(landing)
        #expect(isClean(line) && line.contains("PR #9 does not apply to Gecko in \(shown).html") && line.hasSuffix("last error: \(shown)"))
    }

    @Test func syncs() {
        var sync = UpstreamSync(id: 4, bug: 5, changesets: [SyncChangeset(node: String(repeating: "d", count: 40))])
        sync.lastError = evil
        sync.conflict = SyncConflict(node: String(repeating: "d", count: 40), files: [evil])
        #expect(SyncFormat.line(sync).hasSuffix("last error: \(shown)") && isClean(SyncFormat.line(sync)))
        let details = SyncFormat.details(sync)
        #expect(details.split(separator: "\n").count == 3 && isClean(details.replacingOccurrences(of: "\n", with: "")))
        #expect(details.hasSuffix("conflict in dddddddddddd: \(shown)"))
    }

    @Test func events() {
        let event = JournalEvent(id: 1, payload: .gitPush(GitPush(repository: "wpt", updates: [])), state: .failed, attempts: 1,
                                 receivedAt: Date(timeIntervalSince1970: 0), nextAttemptAt: nil, lastError: evil)
        let line = EventFormat.line(event)
        #expect(isClean(line) && line.hasSuffix("error=\"\(shown)\""))
    }
}
