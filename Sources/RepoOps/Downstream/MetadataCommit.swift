import SyncCore

/// A pull request's metadata commit: what its results did to Gecko's metadata, and the commit when
/// they changed any file.
public struct MetadataCommit: Sendable, Equatable {
    /// The commit in the clone, or nil when no metadata file changes.
    public var node: String?
    /// The files it writes or removes, by repository path.
    public var files: [HgPath: PlannedCommit.FileChange]
    public var outcome: MetadataOutcome
    /// The metadata files the outcome was computed from, as they were at the revision.
    public var before: [String: MetadataFile]
}

/// Builds a pull request's metadata commit in the landing clone without a work tree: Gecko's metadata
/// files at a revision, updated by `MetadataPlan` from the pull request's results, renames and removals,
/// as one commit on that revision.
public struct MetadataCommitBuilder {
    let clone: any LandingWorkspace

    /// In a Mercurial or git clone.
    public init(workspace: any LandingWorkspace) {
        clone = workspace
    }

    public init(clone: LandingClone) {
        self.init(workspace: HgLandingWorkspace(clone: clone, url: clone.hg.path))
    }

    /// The metadata files among `paths` that exist at `revision` of `gecko` (Mercurial or git),
    /// parsed; one that does not parse is an error naming it, its line and column.
    public static func read(_ paths: [String], at revision: String, in gecko: any GeckoSource) throws(ImportError) -> [String: MetadataFile] {
        let contents: [HgPath: HgFile]
        do {
            contents = try gecko.files(at: revision, paths: paths.map { HgPath($0) })
        } catch let error as HgError {
            throw .hg(error)
        } catch {
            throw .geckoGit(error as? GitError ?? .unknownRevision(revision, repository: gecko.path))
        }
        var files: [String: MetadataFile] = [:]
        for (path, file) in contents {
            do {
                files[path.description] = try MetadataParser.parse(bytes: file.data, file: path.description)
            } catch {
                // The parser throws nothing but MetadataError.
                throw .metadata(error as? MetadataError ?? .syntax(file: path.description, line: 1, column: 1, problem: .badCondition("\(error)")))
            }
        }
        return files
    }

    /// Computes the pull request's metadata on `revision` and, when a file changes, commits it there with
    /// `LandingText.metadataCommit`'s message. The same inputs give the same node.
    public func build(pullRequest: Int, bug: Int, plan: MetadataPlan, results: [String: [WptRun]],
                      renames: [String: String] = [:], removed: Set<String> = [], onto revision: String,
                      user: String, date: (seconds: Int64, offset: Int32)) throws(ImportError) -> MetadataCommit {
        let paths = MetadataPlan.paths(testIDs: results.keys, renames: renames, removed: removed)
        let current = try Self.read(paths, at: revision, in: clone.source)
        let outcome = plan.apply(files: current, results: results, renames: renames, removed: removed)
        var files: [HgPath: PlannedCommit.FileChange] = [:]
        for (path, change) in outcome.changes {
            switch change {
            case .write(let file): files[HgPath(path)] = .write(HgFile(data: Array(file.text.utf8), flags: .regular))
            case .delete: files[HgPath(path)] = .remove
            }
        }
        guard !files.isEmpty else { return MetadataCommit(node: nil, files: [:], outcome: outcome, before: current) }
        let message = LandingText.metadataCommit(bug: bug, pullRequest: pullRequest)
        let nodes = try clone.commit([PlannedCommit(user: user, date: date, message: message, files: files)], onto: revision)
        return MetadataCommit(node: nodes[0], files: files, outcome: outcome, before: current)
    }
}
