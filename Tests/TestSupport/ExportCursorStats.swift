import RepoOps

/// What `hg wptsync-export-stats` says of the export cursor in `hg`'s command server: cold reads,
/// steps, undone steps, advances, fallbacks, by name.
public func exportCursorStats(_ hg: HgRepository) throws -> [String: Int] {
    let stats = try hg.run(["--config", "extensions.wptsync=\(try HgExportExtension.installedPath())", "wptsync-export-stats"])
    return Dictionary(uniqueKeysWithValues: String(decoding: stats.output, as: UTF8.self).split(separator: "\n").map { line in
        (String(line.split(separator: " ")[0]), Int(line.split(separator: " ")[1]) ?? -1)
    })
}
