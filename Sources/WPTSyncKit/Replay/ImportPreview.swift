import RepoOps

/// What a dry run says about upstream wpt commits that would be imported into Gecko.
public enum ImportPreview {
    /// One line per commit of the range, parents first: short id and summary.
    ///
    /// The hook point for the import side (issue 4): once imports exist, describe here the Gecko
    /// commits and landing they would make.
    public static func describeImport(_ commits: [GitCommit]) -> [String] {
        let summaries = commits.map { commit in
            let summary = String(decoding: commit.message.prefix { $0 != 0x0a }, as: UTF8.self)
            return "\(commit.oid.description.prefix(12)) \(summary)"
        }
        return ["\(commits.count) upstream commit(s) in the range"] + summaries
    }
}
