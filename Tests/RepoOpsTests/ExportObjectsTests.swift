import Foundation
import Glibc
import Testing
import RepoOps
import SyncCore
import TestSupport

/// What an export costs and leaves in the mirror: its new objects, loose, which git checks and
/// pushes like any others, written without rescanning the pack folder for each of them.
@Suite struct ExportObjectsTests {
    @Test func exportWritesLooseObjectsWithoutRescanningPacks() throws {
        let world = try ExportWorld()
        try world.write("dom/a.html", "a\n")
        try world.write("css/deep/b.html", "b\n")
        let onto = try world.mirror(try world.commit("Import wpt"))
        let before = try looseObjects(world.git.path)
        try world.write("css/deep/b.html", "b changed\n")
        try world.write("css/deep/new.html", "new\n")
        let node = try world.commit("Bug 1 - Change b. r=me")
        let packFolderOpens = try DirectoryOpens(world.git.path + "objects/pack")
        guard case .exported(let export) = try UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
            .export(node: node, onto: onto) else {
            Issue.record("expected a commit")
            return
        }

        // git_odb_write rescans every pack folder before writing each new object: 6 here.
        #expect(packFolderOpens.count() == 0)
        let written = try looseObjects(world.git.path).subtracting(before)
        let expected = try ["", "^{tree}", ":css", ":css/deep", ":css/deep/b.html", ":css/deep/new.html"].map {
            try git(["rev-parse", export.commit.hex + $0], in: world.git.path)
        }
        #expect(written == Set(expected))
        try git(["fsck", "--strict", "--no-dangling"], in: world.git.path)

        let remote = TempDir("export-push")
        try git(["init", "-q", "--bare", remote.path], in: remote.path)
        try git(["push", "-q", remote.path, "\(export.commit.hex):refs/heads/gecko/1"], in: world.git.path)
        #expect(try git(["rev-parse", "gecko/1^{tree}"], in: remote.path) == export.tree.hex)
        try git(["fsck", "--strict"], in: remote.path)
    }

    @Test func exportWritesTreesUncompressedWhichGitReadsPacksAndPushes() throws {
        let world = try ExportWorld()
        try world.write("dom/a.html", "a\n")
        let onto = try world.mirror(try world.commit("Import wpt"))
        try world.write("css/deep/b.html", String(repeating: "b is compressible\n", count: 50))
        let node = try world.commit("Bug 1 - Add b. r=me")
        guard case .exported(let export) = try UpstreamExporter(hg: world.hg, git: world.git, prefixes: PathPrefixes())
            .export(node: node, onto: onto) else {
            Issue.record("expected a commit")
            return
        }

        // A stored tree's file holds its object verbatim, after zlib's 2-byte header and a 5-byte block header.
        let trees = try ["^{tree}", ":css", ":css/deep"].map { try git(["rev-parse", export.commit.hex + $0], in: world.git.path) }
        for tree in trees {
            let object = Array("tree \(try git(["cat-file", "-s", tree], in: world.git.path))\0".utf8)
                + (try gitBytes(["cat-file", "tree", tree], in: world.git.path))
            let file = try looseFile(world.git.path, tree)
            #expect(Array(file.dropFirst(7).prefix(object.count)) == object, "tree \(tree) is not stored uncompressed")
        }
        let blob = try git(["rev-parse", export.commit.hex + ":css/deep/b.html"], in: world.git.path)
        #expect(try looseFile(world.git.path, blob).count < 100, "blobs stay deflated")

        try git(["fsck", "--strict", "--no-dangling"], in: world.git.path)
        try git(["update-ref", "refs/heads/exported", export.commit.hex], in: world.git.path)
        try git(["gc", "-q", "--prune=now"], in: world.git.path)
        #expect(try looseObjects(world.git.path).isEmpty)
        try git(["fsck", "--strict", "--no-dangling"], in: world.git.path)
        let remote = TempDir("export-push")
        try git(["init", "-q", "--bare", remote.path], in: remote.path)
        try git(["push", "-q", remote.path, "\(export.commit.hex):refs/heads/gecko/1"], in: world.git.path)
        #expect(try git(["ls-tree", "-r", "--name-only", "gecko/1"], in: remote.path) == "css/deep/b.html\ndom/a.html")
        try git(["fsck", "--strict"], in: remote.path)
    }
}

/// The bytes of the loose object `id` below `gitDir`.
private func looseFile(_ gitDir: String, _ id: String) throws -> [UInt8] {
    let path = "\(gitDir)/objects/\(id.prefix(2))/\(id.dropFirst(2))"
    guard let data = FileManager.default.contents(atPath: path) else { throw POSIXError(.ENOENT) }
    return Array(data)
}

/// The ids of the loose objects below `gitDir`.
private func looseObjects(_ gitDir: String) throws -> Set<String> {
    let objects = gitDir + "/objects"
    var result = Set<String>()
    for folder in try FileManager.default.contentsOfDirectory(atPath: objects) where folder.count == 2 {
        for name in try FileManager.default.contentsOfDirectory(atPath: "\(objects)/\(folder)") {
            result.insert(folder + name)
        }
    }
    return result
}

/// Counts the times a directory is opened (inotify `IN_OPEN`) from now on.
private final class DirectoryOpens {
    private let descriptor: Int32

    init(_ path: String) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        // Closes are watched too, so that successive opens are not merged into one event.
        guard descriptor >= 0, inotify_add_watch(descriptor, path, UInt32(IN_OPEN) | UInt32(IN_CLOSE_NOWRITE)) >= 0 else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
    }

    deinit { close(descriptor) }

    /// The opens since the last call.
    func count() -> Int {
        var opens = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let length = read(descriptor, &buffer, buffer.count)
            if length <= 0 { return opens }
            var offset = 0
            while offset + 16 <= length {
                let mask = buffer[offset + 4..<offset + 8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                let nameLength = buffer[offset + 12..<offset + 16].reversed().reduce(0) { $0 << 8 | Int($1) }
                if mask & UInt32(IN_OPEN) != 0 { opens += 1 }
                offset += 16 + nameLength
            }
        }
    }
}
