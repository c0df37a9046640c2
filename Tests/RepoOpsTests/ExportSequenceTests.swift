import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

private let wpt = ExportWorld.wpt
/// Gecko files around the wpt prefix in the manifest's order: before it (also right before it) and after it.
private let geckoFiles = ["dom/base/nsFoo.cpp", "testing/web-platform/meta/dom/a.html.ini",
                          "testing/web-platform/tests-other/x.html", "testing/web-platform/tests_after/y.txt",
                          "toolkit/z.cpp"]

/// `count` Gecko-only changesets, changing, adding and removing files on both sides of the wpt prefix.
private func geckoOnly(_ world: ExportWorld, _ count: Int, round: Int) throws {
    guard count > 0 else { return }
    let series: [[[UInt8]: [UInt8]?]] = (0..<count).map { k in
        let changed = Array(geckoFiles[k % geckoFiles.count].utf8)
        let extra = Array("\(geckoFiles[(k + round) % geckoFiles.count])-\(round)-\(k % 3)".utf8)
        return [changed: Array("change \(round).\(k)\n".utf8), extra: k % 3 == 2 ? nil : Array("extra\n".utf8)]
    }
    try world.commitInMemory(series: series, message: "Bug 1 - Gecko only, round \(round)")
    try world.hgFixture.hg(["update", "-q", "tip"])
}

/// The extension's counts in `hg`'s command server (`hg wptsync-export-stats`).
private func exportResult(_ exporter: UpstreamExporter, _ node: String, onto: Oid) -> Result<ExportOutcome, ExportError> {
    Result { () throws(ExportError) in try exporter.export(node: node, onto: onto) }
}

@Suite struct ExportSequenceTests {
    /// The fast path keeps the wpt part of one manifest in the command server and rolls it along the
    /// stored delta chain; exporting changesets first-seen, in order, with Gecko-only changesets between
    /// them must give exactly what stock hg commands give, without falling back to full manifest reads.
    /// With `maxchainlen` 3 the chains restart at snapshots every few revisions, so the cursor also
    /// moves back to a shared snapshot and forward again.
    @Test(arguments: [nil, 3])
    func firstSeenExportsWithGeckoOnlyGapsMatchStockCommands(maxChainLength: Int?) throws {
        let world = try ExportWorld()
        if let maxChainLength {
            try writeFile(world.hgFixture.root + "/.hg/hgrc", "[format]\nmaxchainlen = \(maxChainLength)\n")
        }
        for (k, path) in geckoFiles.enumerated() { try world.hgFixture.write(path, "gecko \(k)\n") }
        for name in ["b.html", "mod.html", "gone.html", "old/name.html", "source.js", "tool.py", "y/last.html"] {
            try world.write(name, "\(name)\n")
        }
        try world.write("image.png", bytes: [0x89, 0x50, 0, 0xFF, 1, 2])
        var nodes = [try world.commit("Import wpt")]
        let hgRoot = world.hgFixture.root
        let steps: [(gap: Int, change: () throws -> Void)] = [
            (0, { try world.write("mod.html", "one\ntwo\n") }),
            (1, { try world.write("a-first.html", "new first\n"); try world.write("zz/after-last.html", "new last\n") }),
            (7, { try world.hgFixture.hg(["mv", "\(wpt)/old/name.html", "\(wpt)/new/name.html"]) }),
            (2, { try world.hgFixture.hg(["cp", "\(wpt)/source.js", "\(wpt)/copy.js"]); try world.write("source.js", "changed\n") }),
            (12, { try world.hgFixture.hg(["rm", "\(wpt)/gone.html", "\(wpt)/a-first.html", "\(wpt)/zz/after-last.html"]) }),
            (3, { try world.write("image.png", bytes: [0x89, 0x50, 0, 0xFE, 0, 0, 0x80]) }),
            (5, { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(hgRoot)/\(wpt)/tool.py") }),
            (0, { try world.hgFixture.symlink("\(wpt)/link", to: "mod.html") }),
            (4, { try world.hgFixture.write(rawName: Array("\(wpt)/caf".utf8) + [0xE9] + Array(".html".utf8), bytes: [0xE9, 0x0A]) }),
            (9, { try world.write("b.html", "b\n"); try world.hgFixture.write(geckoFiles[2], "beside\n")
                  try world.hgFixture.write(geckoFiles[3], "beside\n") }),
        ]
        for (round, step) in steps.enumerated() {
            try geckoOnly(world, step.gap, round: round)
            try step.change()
            nodes.append(try world.commit("Bug \(100 + round) - Step \(round). r=me"))
        }
        // A changeset that reuses its parent's manifest, then a merge of a second head.
        try world.hgFixture.hg(["branch", "-q", "other"])
        nodes.append(try world.commit("Bug 200 - Branch only"))
        try world.hgFixture.hg(["update", "-q", "-r", nodes[3]])
        try world.write("side.html", "side\n")
        nodes.append(try world.commit("Bug 201 - Side head"))
        try geckoOnly(world, 6, round: 50)
        try world.hgFixture.hg(["merge", "-q", "-t", ":local", "-r", nodes[nodes.count - 2]])
        nodes.append(try world.commit("Bug 202 - Merge"))
        try world.write("after-merge.html", "after\n")
        nodes.append(try world.commit("Bug 203 - After the merge"))

        let fast = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
        let stock = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes(), readPath: .stockCommands)
        var exported = 0
        for node in nodes.dropFirst() {
            let p1 = try world.hgFixture.hg(["log", "-r", node, "-T", "{p1node}"])
            let onto = try world.mirror(p1)
            let expected = exportResult(stock, node, onto: onto)
            #expect(exportResult(fast, node, onto: onto) == expected, "changeset \(node)")
            if case .success(.exported) = expected { exported += 1 }
        }
        #expect(exported == steps.count + 2)
        #expect(fast.usesExtension)
        let counts = try exportCursorStats(world.hg)
        #expect(counts["fallbacks"] == 0, "every step was verified: \(counts)")
        #expect((counts["steps"] ?? 0) > 0)
        if maxChainLength != nil { #expect((counts["undone"] ?? 0) > 0, "the cursor moved back to a snapshot: \(counts)") }
    }

    /// Issue 11: a worker advances the cursor after each push (`advanceCursor`), so exporting the next
    /// wpt changeset applies only that changeset's own manifest delta, whatever the gap, and gives what
    /// stock hg commands give, also when the advances cross snapshots (`maxchainlen` 3).
    @Test(arguments: [nil, 3])
    func advancingPerPushLeavesTheExportOnlyItsOwnChangeset(maxChainLength: Int?) throws {
        let world = try ExportWorld()
        if let maxChainLength {
            try writeFile(world.hgFixture.root + "/.hg/hgrc", "[format]\nmaxchainlen = \(maxChainLength)\n")
        }
        for (k, path) in geckoFiles.enumerated() { try world.hgFixture.write(path, "gecko \(k)\n") }
        try world.write("a.html", "a\n")
        var previous = try world.commit("Import wpt")
        let fast = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
        let stock = UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes(), readPath: .stockCommands)
        let first = try world.mirror(previous)
        #expect(exportResult(fast, previous, onto: first) == exportResult(stock, previous, onto: first))
        for (round, gap) in [7, 1, 12].enumerated() {
            try geckoOnly(world, gap, round: round)
            let pushed = try world.hgFixture.hg(["log", "-r", "\(previous)::tip - \(previous)", "-T", "{node}\n"]).split(separator: "\n")
            #expect(pushed.count == gap)
            for node in pushed { #expect(try UpstreamExporter.advanceCursor(in: world.hg, to: String(node), prefixes: PathPrefixes())) }
            let onto = try world.mirror("tip")
            let before = try exportCursorStats(world.hg)
            try world.write("a.html", "a, round \(round)\n")
            previous = try world.commit("Bug \(round) - Change a. r=me")
            let result = exportResult(fast, previous, onto: onto)
            let after = try exportCursorStats(world.hg)
            if maxChainLength == nil {  // one chain: the export steps from its parent's manifest to its own, nothing else
                #expect(after["steps"].map { $0 - (before["steps"] ?? 0) } == 1, "round \(round): \(before) then \(after)")
                #expect(after["undone"] == before["undone"] && after["cold"] == before["cold"], "round \(round): \(before) then \(after)")
            }
            #expect(result == exportResult(stock, previous, onto: onto), "round \(round)")
            guard case .success(.exported) = result else { Issue.record("round \(round): \(result)"); continue }
        }
        #expect(try exportCursorStats(world.hg)["fallbacks"] == 0)
        #expect(try exportCursorStats(world.hg)["advances"] == 20)
        #expect { try UpstreamExporter.advanceCursor(in: world.hg, to: String(repeating: "e", count: 40), prefixes: PathPrefixes()) } throws: { error in
            "\(error)".contains(String(repeating: "e", count: 40))
        }
    }
}
