import Foundation
import RepoOps
import Store
import SyncCore
import Testing
import TestSupport

private func push(_ n: Int, url: String? = nil) -> EventPayload {
    let node = String(format: "%040x", n)
    return .hgPush(HgPush(repository: "autoland", firstNode: node, lastNode: node, source: "push", url: url))
}

/// The raw-input reader for spools that should hold none.
let noRawInput: @Sendable (RawHookInput) -> RawHookImport = { _ in .unreadable("this test saves no raw input") }


private func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

private func appendBytes(_ extra: [UInt8], to path: String) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(extra))
    try handle.close()
}

private func nodes(_ journal: SQLiteJournal) throws -> [String] {
    try journal.events(state: nil, limit: 100).reversed().compactMap { if case .hgPush(let p) = $0.payload { p.firstNode } else { nil } }
}

@Suite("Spool records")
struct SpoolRecordTests {
    let dir = TempDir("spool-records")

    @Test func aTornRecordAndTheAppendAfterItLoseNothing() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        try spool.file.append(push(1), at: t0)
        // What a crash in the middle of an append leaves: the first half of a record, no newline.
        let scratch = SpoolFile(path: dir.sub("scratch.spool"))
        try scratch.append(push(2), at: t0)
        let fragment = Array(try bytes(scratch.path).prefix(120))
        try appendBytes(fragment, to: spool.path)
        try spool.file.append(push(3), at: t0)

        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 2)
        #expect(try nodes(journal) == [String(format: "%040x", 1), String(format: "%040x", 3)])
        #expect(spool.file.isEmpty)
        #expect(spool.file.unreadableSummary() == UnreadableSummary(file: spool.path + ".unreadable", records: 1, bytes: fragment.count))
        let quarantined = try bytes(spool.file.unreadablePath)
        #expect(quarantined.suffix(fragment.count + 1) == ArraySlice(fragment + [0x0A]))
        #expect(String(decoding: quarantined, as: UTF8.self).contains("\"from\":\"\(spool.path)\""))
    }

    @Test func aDamagedRecordIsQuarantinedNotImported() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        try spool.file.append(push(1), at: t0)
        try spool.file.append(push(2), at: t0)
        var data = try bytes(spool.path)
        // One flipped bit in the second record's body: still valid JSON, another node.
        let last = try #require(data.lastIndex(of: UInt8(ascii: "2")))
        data[last] = UInt8(ascii: "3")
        try writeFile(spool.path, data)

        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 1)
        #expect(try nodes(journal) == [String(format: "%040x", 1)])
        #expect(spool.file.unreadableSummary()?.records == 1)
        #expect(String(decoding: try bytes(spool.file.unreadablePath), as: UTF8.self).contains("checksum mismatch"))
    }

    @Test func aDrainCutShortBeforeEmptyingTheSpoolQuarantinesNothingTwice() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        try spool.file.append(push(1), at: t0)
        let fragment = Array("WPTSYNC1 event 230 0badc0de\n{\"kind\":\"hg-pu".utf8)
        try appendBytes(fragment, to: spool.path)
        try spool.file.append(push(2), at: t0)
        let before = try bytes(spool.path)
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 2)
        // What a crash after writing the quarantine but before emptying the spool leaves.
        try writeFile(spool.path, before)
        #expect(try spool.drain(into: journal) == 0)
        #expect(spool.file.unreadableSummary() == UnreadableSummary(file: spool.file.unreadablePath, records: 1, bytes: fragment.count))
        #expect(spool.file.isEmpty)

        // The same bytes at another offset, later, are another entry.
        try spool.file.append(push(3), at: t0)
        try spool.file.append(push(4), at: t0)
        try appendBytes(fragment, to: spool.path)
        #expect(try spool.drain(into: journal) == 2)
        #expect(spool.file.unreadableSummary()?.records == 2)
    }

    @Test func plainJSONLinesOfTheOldFormatAreStillImported() throws {
        let spool = Spool(path: dir.sub("j.spool"), rawInput: noRawInput)
        let node = String(format: "%040x", 1)
        let old = #"{"kind":"hg-push","payload":"{\"firstNode\":\"\#(node)\",\"lastNode\":\"\#(node)\",\"repository\":\"autoland\",\"source\":\"push\"}","receivedAt":1700000000}"#
        try writeFile(spool.path, old + "\n")
        try spool.file.append(push(2), at: t0)
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 2)
        #expect(try nodes(journal) == [node, String(format: "%040x", 2)])
        #expect(spool.file.unreadableSummary() == nil)
    }

    @Test func theHookScriptsRawRecordIsReadBackByteForByte() throws {
        let spoolPath = dir.sub("state/j.spool")
        let node = String(format: "%040x", 7)
        let url = "ssh://x/'$(touch \(dir.sub("evaluated")))`id`\n\"; rm -rf /tmp/nothing \u{e9}"
        let script = try ProcessRunner.run("/bin/sh", [projectRoot + "/hooks/spool-hook-input", "hg-changegroup", "127"], in: dir.path,
                                           extraEnvironment: ["WPTSYNC_SPOOL": spoolPath, "HG_NODE": node, "HG_SOURCE": "push", "HG_URL": url])
        #expect(script.status == 0)
        #expect(script.stderrString.contains("its input is kept in \(spoolPath)"))
        let spool = Spool(path: spoolPath) { raw in
            guard raw.hook == "hg-changegroup", raw.text("pwd") == dir.path, raw.time != nil,
                  let first = raw.text("HG_NODE"), let source = raw.text("HG_SOURCE") else { return .unreadable("unexpected fields") }
            return .record(.hgPush(HgPush(repository: "autoland", firstNode: first, lastNode: first, source: source, url: raw.text("HG_URL"))))
        }
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 1)
        #expect(try journal.events(state: nil, limit: 1).first?.payload == push(7, url: url))
        #expect(!FileManager.default.fileExists(atPath: dir.sub("evaluated")))
        #expect(spool.file.unreadableSummary() == nil)
    }

    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs to fill it needs root"))
    func aFullDiskLeavesNoPartialRecordAndSaysSo() throws {
        let mount = dir.sub("tiny")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try sh("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount])
        defer { _ = try? sh("umount", [mount]) }
        let spool = Spool(path: mount + "/j.spool", rawInput: noRawInput)
        try spool.file.append(push(1), at: t0)
        let before = try bytes(spool.path)
        let filler = open(mount + "/filler", O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 0, count: 4096)
        while write(filler, block, block.count) > 0 {}
        close(filler)
        errno = 0 // so that filling's ENOSPC cannot pass for the append's

        // Larger than what is left of the spool's last page: the write stops partway.
        #expect {
            try spool.file.append(push(2, url: String(repeating: "u", count: 16_000)), at: t0)
        } throws: { error in
            "\(error)".contains("No space left on device")
        }
        #expect(try bytes(spool.path) == before)

        try FileManager.default.removeItem(atPath: mount + "/filler")
        try spool.file.append(push(3), at: t0)
        let journal = try SQLiteJournal(path: dir.sub("j.sqlite"))
        #expect(try spool.drain(into: journal) == 2)
        #expect(try nodes(journal) == [String(format: "%040x", 1), String(format: "%040x", 3)])
        #expect(spool.file.unreadableSummary() == nil)
    }
}
