import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

private let wpt = ExportWorld.wpt
private typealias Changes = [[UInt8]: [UInt8]?]

/// A wpt path whose manifest line is 128 bytes long (86-byte path, NUL, 40 hex digits, newline): the
/// cursor's 64 KiB pieces of a full manifest read hold exactly 512 such lines.
private func path128(_ k: Int) -> [UInt8] {
    Array("\(wpt)/t/\(String(format: "%05d", k))-\(String(repeating: "n", count: 46)).html".utf8)
}

private func text(_ string: String) -> [UInt8]? { Array(string.utf8) }

private func exportResult(_ exporter: UpstreamExporter, _ node: String, onto: Oid) -> Result<ExportOutcome, ExportError> {
    Result { () throws(ExportError) in try exporter.export(node: node, onto: onto) }
}

@Suite struct ExportLargeManifestTests {
    /// With thousands of wpt files the manifest revlog keeps its data in a file of its own (which the
    /// cursor reads in segments and decompresses itself, with either compression engine) and the cursor
    /// keeps the lines in several pieces: a removal that empties a piece, edits spread over every piece,
    /// an addition that grows one piece past four times its size (split), a removal across pieces
    /// (merged), removing every wpt file, then adding some back, must export exactly what stock hg
    /// commands export, without a fallback, while chains restart at a snapshot every few revisions.
    @Test(arguments: ["zstd", "zlib"])
    func largeManifestExportsMatchStockCommands(compression: String) throws {
        let world = try ExportWorld(hgInitConfig: ["format.revlog-compression=\(compression)"])
        let root = world.hgFixture.root
        try writeFile(root + "/.hg/hgrc", "[format]\nmaxchainlen = 4\n")
        var present = Set((0..<2048).map(path128))  // four pieces
        var initial = Changes(uniqueKeysWithValues: (0..<2048).map { (path128($0), text("file \($0)\n")) })
        for k in 0..<5000 { initial[Array("dom/g/\(k).cpp".utf8)] = text("gecko \(k)\n") }
        for name in ["dom/a.cpp", "testing/web-platform/meta/a.ini", "toolkit/z.cpp"] { initial[Array(name.utf8)] = text("gecko\n") }
        let imported = try world.commitInMemory(initial, message: "Import wpt")
        try #require(FileManager.default.fileExists(atPath: root + "/.hg/store/00manifest.d"),
                     "the manifest revlog keeps its data apart from its index")
        try #require(try String(contentsOfFile: root + "/.hg/store/requires", encoding: .utf8)
            .contains("revlog-compression-zstd") == (compression == "zstd"))

        let removeAll: () -> Changes = { Changes(uniqueKeysWithValues: present.map { ($0, nil) }) }
        let steps: [(gap: Int, changes: () -> Changes)] = [
            (3, { Changes(uniqueKeysWithValues: (512..<1024).map { (path128($0), nil) }) }),  // exactly the second piece
            (5, { Changes(uniqueKeysWithValues: stride(from: 1030, to: 2048, by: 37).map { (path128($0), text("edited \($0)\n")) }) }),
            (2, { Changes(uniqueKeysWithValues: (0..<2500).map { (Array("\(wpt)/t/01200-m\(String(format: "%04d", $0)).html".utf8), text("added \($0)\n")) }) }),
            (4, { Changes(uniqueKeysWithValues: (1300..<1800).map { (path128($0), nil) }) }),
            (1, removeAll),
            (2, { Changes(uniqueKeysWithValues: ["a.html", "t/b.html", "z/c.html"].map { (Array("\(wpt)/\($0)".utf8), text("back\n")) }) }),
        ]
        var nodes: [String] = []
        for (round, step) in steps.enumerated() {
            let gecko: [Changes] = (0..<step.gap).map { k in
                [Array("dom/a.cpp".utf8): text("\(round).\(k)\n"), Array("toolkit/g\(round)-\(k).cpp".utf8): text("new\n"),
                 Array("testing/web-platform/meta/a.ini".utf8): text("meta \(round).\(k)\n")]
            }
            try world.commitInMemory(series: gecko, message: "Bug 1 - Gecko only")
            let changes = step.changes()
            for (path, contents) in changes { if contents == nil { present.remove(path) } else { present.insert(path) } }
            nodes.append(try world.commitInMemory(changes, message: "Bug \(100 + round) - Step \(round). r=me"))
        }

        let fast = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
        let stock = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes(), readPath: .stockCommands)
        var onto = try world.mirror(imported)
        for node in nodes {
            let expected = exportResult(stock, node, onto: onto)
            #expect(exportResult(fast, node, onto: onto) == expected, "changeset \(node)")
            guard case .success(.exported(let commit)) = expected else {
                Issue.record("changeset \(node) gave \(expected)")
                continue
            }
            onto = commit.commit
        }
        #expect(try world.snapshot(try world.git.commit(onto).tree).keys.sorted() == ["a.html", "t/b.html", "z/c.html"])
        #expect(fast.usesExtension)
        let stats = try world.hg.run(["--config", "extensions.wptsync=\(try HgExportExtension.installedPath())",
                                      "wptsync-export-stats"])
        let counts = Dictionary(uniqueKeysWithValues: String(decoding: stats.output, as: UTF8.self)
            .split(separator: "\n").map { line in (String(line.split(separator: " ")[0]), Int(line.split(separator: " ")[1]) ?? -1) })
        #expect(counts["fallbacks"] == 0, "every step was verified: \(counts)")
        #expect((counts["undone"] ?? 0) > 0, "the cursor moved back to a snapshot: \(counts)")
    }
}
