import Foundation
import Testing
import RepoOps
import SyncCore
import TestSupport

/// What an export leaves in the mirror: only its new objects, loose, compressed at zlib's fastest
/// level, which git checks and pushes like any others.
@Suite struct ExportObjectsTests {
    @Test func exportWritesFastLooseObjectsThatGitChecksAndPushes() throws {
        let world = try ExportWorld()
        try world.write("dom/a.html", "a\n")
        try world.write("css/deep/b.html", "b\n")
        let onto = try world.mirror(try world.commit("Import wpt"))
        try git(["repack", "-a", "-d", "-q"], in: world.git.path)  // the mirror's objects are packed: what is loose now, the export wrote
        try world.write("css/deep/b.html", "b changed\n")
        try world.write("css/deep/new.html", "new\n")
        let node = try world.commit("Bug 1 - Change b. r=me")
        guard case .exported(let export) = try UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
            .export(node: node, onto: onto) else {
            Issue.record("expected a commit")
            return
        }

        let written = try looseObjects(world.git.path)
        let expected = try ["", "^{tree}", ":css", ":css/deep", ":css/deep/b.html", ":css/deep/new.html"].map {
            try git(["rev-parse", export.commit.hex + $0], in: world.git.path)
        }
        #expect(written.keys.sorted() == expected.sorted())
        for (hex, header) in written {
            #expect(header == [0x78, 0x01], "\(hex): a zlib stream at the fastest level")
        }
        try git(["fsck", "--strict", "--no-dangling"], in: world.git.path)

        let remote = TempDir("export-push")
        try git(["init", "-q", "--bare", remote.path], in: remote.path)
        try git(["push", "-q", remote.path, "\(export.commit.hex):refs/heads/gecko/1"], in: world.git.path)
        #expect(try git(["rev-parse", "gecko/1^{tree}"], in: remote.path) == export.tree.hex)
        try git(["fsck", "--strict"], in: remote.path)
    }
}

/// The loose objects below `gitDir` (hex id → the first two bytes of the file, its zlib header).
private func looseObjects(_ gitDir: String) throws -> [String: [UInt8]] {
    let objects = gitDir + "/objects"
    var result: [String: [UInt8]] = [:]
    for folder in try FileManager.default.contentsOfDirectory(atPath: objects) where folder.count == 2 {
        for name in try FileManager.default.contentsOfDirectory(atPath: "\(objects)/\(folder)") {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(objects)/\(folder)/\(name)"))
            result[folder + name] = Array(data.prefix(2))
        }
    }
    return result
}
