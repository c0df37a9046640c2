/// One file a changeset touched below a prefix, with everything the export needs.
struct ChangedFile {
    /// The full repository path.
    var path: HgPath
    var status: HgFileStatus
    /// The copy or rename source, for added files that hg records as copies.
    var copySource: HgPath?
    /// The source's content as copied (its content at the first parent).
    var sourceData: [UInt8]?
    /// The file at the first parent (nil when added).
    var old: HgFile?
    /// The file at the changeset (nil when removed).
    var new: HgFile?
}

/// A changeset and its files below the prefix.
struct ChangesetChanges {
    var changeset: HgChangeset
    var files: [ChangedFile]
}

/// Reads a changeset's changes below a prefix, through the `wptsync-export` extension when it can
/// be loaded, else with stock commands (`status --change`, `files`, `cat`), which rebuild manifests.
struct ChangesetReader {
    let hg: HgRepository
    /// The prefix without a trailing slash.
    let prefix: String

    /// Through the extension; nil when this hg does not know the command (then use `stock`).
    func viaExtension(_ node: String) throws(ExportError) -> ChangesetChanges? {
        guard let result = try extensionCommand("wptsync-export", node) else { return nil }
        var parser = FieldParser(bytes: result.output)
        guard result.output.starts(with: HgExportExtension.formatLine) else {
            throw .unreadableChanges(node: node, detail: "missing header")
        }
        parser.position = HgExportExtension.formatLine.count
        do throws(FieldParser.Failure) {
            let fullNode = String(decoding: try parser.required(), as: UTF8.self)
            let parents = try parser.required().split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard let changeset = HgChangeset(node: fullNode, parents: parents, rawEntry: try parser.required()) else {
                throw FieldParser.Failure()
            }
            guard let count = Int(String(decoding: try parser.required(), as: UTF8.self)) else {
                throw FieldParser.Failure()
            }
            var files: [ChangedFile] = []
            for _ in 0..<count {
                let path = HgPath(bytes: try parser.required())
                let status: HgFileStatus = switch try parser.required() {
                case [UInt8(ascii: "A")]: .added
                case [UInt8(ascii: "R")]: .removed
                default: .modified
                }
                let source = try parser.optional().map(HgPath.init(bytes:))
                let sourceData = try parser.optional()
                let oldFlags = try parser.optional(), oldData = try parser.optional()
                let newFlags = try parser.optional(), newData = try parser.optional()
                files.append(ChangedFile(
                    path: path, status: status, copySource: source, sourceData: sourceData,
                    old: oldData.map { HgFile(data: $0, flags: HgFileFlags(hgFlags: oldFlags ?? [])) },
                    new: newData.map { HgFile(data: $0, flags: HgFileFlags(hgFlags: newFlags ?? [])) }))
            }
            return ChangesetChanges(changeset: changeset, files: files)
        } catch {
            throw .unreadableChanges(node: node, detail: "truncated or malformed fields")
        }
    }

    /// Moves the manifest lines the extension keeps in the command server to `node`'s manifest, so that
    /// exporting the changesets after it starts there; false when this hg does not know the command.
    func advance(to node: String) throws(ExportError) -> Bool {
        try extensionCommand("wptsync-export-advance", node) != nil
    }

    /// Runs the extension's `command` on `node` and the prefix; nil when this hg does not know it.
    private func extensionCommand(_ command: String, _ node: String) throws(ExportError) -> HgCommandResult? {
        let path = try HgExportExtension.installed.get()
        let result: HgCommandResult
        do {
            result = try hg.run(["--config", "extensions.wptsync=\(path)", command, node, prefix])
        } catch { throw .hg(error, node: node) }
        guard result.status == 0 else {
            let message = result.errorString
            // Also what hg says when the extension failed to load (an incompatible Mercurial).
            if message.contains("unknown command") { return nil }
            if message.contains("unknown revision") || message.contains("invalid revision identifier") {
                throw .hg(.unknownRevision(revision: node, repository: hg.path), node: node)
            }
            throw .hg(.commandFailed(arguments: [command, node, prefix], status: result.status,
                                     stderr: message, repository: hg.path), node: node)
        }
        return result
    }

    /// With stock hg commands: about four manifest rebuilds per changeset.
    func viaStockCommands(_ node: String) throws(ExportError) -> ChangesetChanges {
        do throws(HgError) {
            let changeset = try hg.changeset(node)
            if changeset.isMerge { return ChangesetChanges(changeset: changeset, files: []) }
            let changes = try hg.changes(in: changeset.node).filter { isUnder($0.path) }
            guard !changes.isEmpty else { return ChangesetChanges(changeset: changeset, files: []) }
            var oldPaths = changes.filter { $0.status != .added }.map(\.path)
            oldPaths += changes.compactMap(\.copySource)
            let old = try changeset.parents.first.map { (p1) throws(HgError) in try hg.files(at: p1, paths: oldPaths) } ?? [:]
            let new = try hg.files(at: changeset.node, paths: changes.filter { $0.status != .removed }.map(\.path))
            let files = changes.map { change in
                ChangedFile(path: change.path, status: change.status, copySource: change.copySource,
                            sourceData: change.copySource.flatMap { old[$0]?.data },
                            old: change.status == .added ? nil : old[change.path],
                            new: change.status == .removed ? nil : new[change.path])
            }
            return ChangesetChanges(changeset: changeset, files: files)
        } catch {
            throw .hg(error, node: node)
        }
    }

    private func isUnder(_ path: HgPath) -> Bool {
        prefix.isEmpty || path.bytes.starts(with: Array(prefix.utf8) + [UInt8(ascii: "/")])
    }
}

/// Reads `-\n` (absent) or `<length>\n<bytes>` fields.
private struct FieldParser {
    struct Failure: Error {}
    let bytes: [UInt8]
    var position = 0

    mutating func optional() throws(Failure) -> [UInt8]? {
        guard let newline = bytes[position...].firstIndex(of: 0x0a) else { throw Failure() }
        let header = bytes[position..<newline]
        position = newline + 1
        if header.elementsEqual([UInt8(ascii: "-")]) { return nil }
        guard let length = Int(String(decoding: header, as: UTF8.self)), length >= 0,
              position + length <= bytes.count else { throw Failure() }
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    mutating func required() throws(Failure) -> [UInt8] {
        guard let field = try optional() else { throw Failure() }
        return field
    }
}
