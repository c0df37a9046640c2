import Foundation
import SyncCore

extension ConfigLoader {
    /// The `[[gecko]]` entries, each name used once (and never "wpt").
    static func readGeckos(_ entries: [TableReader], resolve: (String) -> String) throws(ConfigError) -> [GeckoRepository] {
        var gecko: [GeckoRepository] = []
        for entry in entries {
            let repo = try readGecko(entry, resolve: resolve)
            if repo.name == "wpt" {
                throw .invalid(file: entry.file, key: entry.name("name"), reason: "\"wpt\" is the wpt mirror's name in the journal; choose another")
            }
            if gecko.contains(where: { $0.name == repo.name }) {
                throw .invalid(file: entry.file, key: entry.name("name"), reason: "repeats the name \"\(repo.name)\"")
            }
            try refuseSharedGitRepository(repo, among: gecko, reader: entry)
            gecko.append(repo)
        }
        return gecko
    }

    /// One `[[gecko]]` entry.
    static func readGecko(_ reader: TableReader, resolve: (String) -> String) throws(ConfigError) -> GeckoRepository {
        let name = try reader.requiredString("name")
        guard name.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")) }) else {
            throw .invalid(file: reader.file, key: reader.name("name"), reason: "may hold only letters, digits, - and _")
        }
        let path = resolve(try reader.requiredString("path"))
        let roleText = try reader.requiredString("role")
        guard let role = GeckoRole(rawValue: roleText) else {
            throw .invalid(file: reader.file, key: reader.name("role"),
                           reason: "must be one of \(GeckoRole.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(Redactor.url(roleText))\"")
        }
        let url = try reader.string("url")
        if let url { try requireHTTP(url, reader: reader, key: "url") }
        let sources = try reader.strings("sources") ?? GeckoRepository.defaultSources
        let known = ["push", "serve", "pull", "unbundle", "strip", "bundle", "push-response"]
        if let odd = sources.first(where: { !known.contains($0) }) {
            throw .invalid(file: reader.file, key: reader.name("sources"), reason: "has unknown source \"\(odd)\" (known: \(known.joined(separator: ", ")))")
        }
        var repo = GeckoRepository(name: name, path: path, role: role, url: url, enabled: try reader.bool("enabled") ?? true, sources: sources)
        (repo.kind, repo.branch) = try readGeckoKind(reader, role: role)
        try reader.rejectUnknownKeys()
        return repo
    }

    /// `[paths]`: where wpt and its metadata are in the Gecko repositories.
    static func readPaths(_ reader: TableReader?) throws(ConfigError) -> PathPrefixes {
        guard let reader else { return PathPrefixes() }
        var paths = PathPrefixes()
        for key in ["wpt", "meta"] {
            guard let value = try reader.string(key) else { continue }
            let parts = value.split(separator: "/")
            guard !value.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw .invalid(file: reader.file, key: reader.name(key), reason: "must be a relative path inside the repository, got \"\(Redactor.url(value))\"")
            }
            let clean = parts.joined(separator: "/")
            if key == "wpt" { paths.wpt = clean } else { paths.meta = clean }
        }
        try reader.rejectUnknownKeys()
        return paths
    }

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
