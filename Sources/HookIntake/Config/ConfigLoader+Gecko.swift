import SyncCore

extension ConfigLoader {
    /// `kind` (hg, the default, or git) and, for git, `branch`: the branch playing the repository's
    /// role, given as a short name (`autoland`) or a full one (`refs/heads/autoland`); a try
    /// repository's defaults to `try`.
    static func readGeckoKind(_ reader: TableReader, role: GeckoRole) throws(ConfigError) -> (GeckoKind, String?) {
        let kindText = try reader.string("kind") ?? GeckoKind.hg.rawValue
        guard let kind = GeckoKind(rawValue: kindText) else {
            throw .invalid(file: reader.file, key: reader.name("kind"),
                           reason: "must be one of \(GeckoKind.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(kindText))\"")
        }
        var branch = try reader.nonEmptyString("branch")
        if kind == .git, role == .try { branch = branch ?? "try" }
        switch (kind, branch) {
        case (.hg, nil): return (.hg, nil)
        case (.hg, _?):
            throw .invalid(file: reader.file, key: reader.name("branch"), reason: "is only for kind = \"git\"; a Mercurial repository is its own branch")
        case (.git, nil):
            throw .missing(file: reader.file, key: reader.name("branch"))
        case (.git, let name?):
            let full = name.hasPrefix("refs/") ? name : "refs/heads/\(name)"
            guard full.hasPrefix("refs/heads/"), RefName.isValid(full) else {
                throw .invalid(file: reader.file, key: reader.name("branch"),
                               reason: "must be a branch name such as \"autoland\" or \"refs/heads/autoland\", got \"\(Redactor.url(name))\"")
            }
            return (.git, full)
        }
    }

    /// One hook runs per git repository and records for one `[[gecko]]` entry: two entries on
    /// one git repository (one per branch) are refused, naming the first.
    static func refuseSharedGitRepository(_ repo: GeckoRepository, among earlier: [GeckoRepository], reader: TableReader) throws(ConfigError) {
        guard repo.kind == .git, let other = earlier.first(where: { $0.kind == .git && $0.path == repo.path }) else { return }
        throw .invalid(file: reader.file, key: reader.name("path"),
                       reason: "is also the path of [[gecko]] \"\(other.name)\"; give each git branch its own repository (the hook records one role per repository)")
    }
}
