import Foundation
import RepoOps

/// A Gecko-like hg repository plus a bare wpt mirror, for export tests.
public final class ExportWorld {
    public static let wpt = "testing/web-platform/tests"
    public let hgFixture: HgFixture
    public let hg: HgRepository
    private let gitDirectory: TempDir
    public let git: GitRepository

    /// `hgInitConfig` (`section.name=value`) applies to the hg repository's creation.
    public init(hgInitConfig: [String] = []) throws {
        hgFixture = try HgFixture("export-hg", initConfig: hgInitConfig)
        hg = try HgRepository(path: hgFixture.root, environment: ["HGRCPATH": ""])
        gitDirectory = TempDir("export-git")
        git = try GitRepository.initBare(at: gitDirectory.sub("wpt.git"), initialBranch: "master")
    }

    /// Writes a file below the wpt prefix of the hg working directory.
    public func write(_ path: String, _ contents: String, executable: Bool = false) throws {
        try hgFixture.write("\(Self.wpt)/\(path)", contents, executable: executable)
    }

    /// Writes raw bytes below the wpt prefix.
    public func write(_ path: String, bytes: [UInt8]) throws {
        try hgFixture.write("\(Self.wpt)/\(path)", bytes: bytes)
    }

    /// Commits the working directory (`hg commit -A`) and returns the node.
    @discardableResult
    public func commit(_ message: String, user: String = "Jane Doe <jane@example.com>",
                       date: String = "1700000000 -3600") throws -> String {
        try hgFixture.commit(message, date: date, user: user)
    }

    /// Commits without a working directory, so paths hg's working copy refuses can be stored:
    /// `files` maps raw paths to contents (nil removes the file).
    @discardableResult
    public func commitInMemory(_ files: [[UInt8]: [UInt8]?], message: String) throws -> String {
        try commitInMemory(series: [files], message: message)
    }

    /// Commits each change set of `series` in turn without a working directory, in one hg process
    /// (so long runs of changesets stay quick), and returns the last node.
    @discardableResult
    public func commitInMemory(series: [[[UInt8]: [UInt8]?]], message: String) throws -> String {
        let extensionPath = hgFixture.directory.sub("memcommit.py")
        try writeFile(extensionPath, """
            from mercurial import context, registrar
            cmdtable = {}
            command = registrar.command(cmdtable)
            @command(b'memcommit', [], b'MESSAGE DATA...')
            def memcommit(ui, repo, message, *datas):
                with repo.wlock(), repo.lock():
                    for data in datas:
                        entries = open(data, 'rb').read().split(b'\\0')
                        files = {entries[i]: (None if entries[i + 1] == b'-' else entries[i + 1][1:])
                                 for i in range(0, len(entries) - 1, 2)}
                        def filectx(repo, mctx, path):
                            return None if files[path] is None else context.memfilectx(repo, mctx, path, files[path])
                        ctx = context.memctx(repo, (repo[b'tip'].node(), None), message, sorted(files), filectx,
                                             user=b'Jane Doe <jane@example.com>', date=b'1700000000 0')
                        ctx.commit()

            """)
        var paths: [String] = []
        for (index, files) in series.enumerated() {
            var data: [UInt8] = []
            for (path, contents) in files {
                data += path + [0] + (contents.map { [UInt8(ascii: "+")] + $0 } ?? [UInt8(ascii: "-")]) + [0]
            }
            paths.append(hgFixture.directory.sub("memcommit.\(index).data"))
            try writeFile(paths[index], data)
        }
        try hgFixture.hg(["--config", "extensions.memcommit=\(extensionPath)", "memcommit", message] + paths)
        return try hgFixture.hg(["log", "-r", "tip", "-T", "{node}"])
    }

    /// A commit in the mirror whose tree is the wpt part of hg revision `revision`, like the
    /// upstream commit a Gecko import came from.
    public func mirror(_ revision: String) throws -> Oid {
        let listing = try hg.run(["files", "-r", revision, "-0", "path:\(Self.wpt)"]).output
        let paths = listing.split(separator: 0).map { HgPath(bytes: Array($0)) }
        let files = try hg.files(at: revision, paths: paths)
        var editor = TreeEditor()
        let prefix = Array("\(Self.wpt)/".utf8)
        for (path, file) in files {
            editor.upsert(GitPath(bytes: Array(path.bytes.dropFirst(prefix.count))), oid: try git.writeBlob(file.data),
                          mode: FileMode(rawValue: file.flags.gitMode))
        }
        let tree = try editor.write(onto: nil, in: git)
        return try git.createCommit(tree: tree, parents: [], author: testSignature, committer: testSignature,
                                    message: Array("wpt\n".utf8))
    }

    /// A commit on top of `parent` with the given upstream edits (nil deletes).
    public func upstreamCommit(onto parent: Oid, _ edits: [String: [UInt8]?]) throws -> Oid {
        var editor = TreeEditor()
        for (path, contents) in edits {
            if let contents { editor.upsert(GitPath(path), oid: try git.writeBlob(contents)) } else { editor.delete(GitPath(path)) }
        }
        let tree = try editor.write(onto: try git.commit(parent).tree, in: git)
        return try git.createCommit(tree: tree, parents: [parent], author: testSignature, committer: testSignature,
                                    message: Array("upstream\n".utf8))
    }

    /// Every file of `tree`: path → (contents, mode).
    public func snapshot(_ tree: Oid) throws -> [GitPath: FileState] {
        var result: [GitPath: FileState] = [:]
        for entry in try git.files(in: tree) { result[entry.path] = FileState(try git.blob(entry.oid), entry.mode) }
        return result
    }
}

/// A file's contents and mode in a tree.
public struct FileState: Hashable, Sendable, CustomStringConvertible {
    public var data: [UInt8]
    public var mode: FileMode
    public init(_ data: [UInt8], _ mode: FileMode = .blob) { self.data = data; self.mode = mode }
    public init(_ text: String, _ mode: FileMode = .blob) { self.init(Array(text.utf8), mode) }
    public var description: String { "\(mode) \(String(decoding: data, as: UTF8.self).debugDescription)" }
}
