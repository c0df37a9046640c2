import SyncCore

extension ConfigLoader {
    /// `[commit_map]`: Lando's root (`lando_url`) and the git repository's name in its map (`repo`).
    static func readCommitMap(_ reader: TableReader) throws(ConfigError) -> CommitMapSettings {
        let url = try reader.requiredString("lando_url")
        try requireHTTP(url, reader: reader, key: "lando_url")
        let settings = CommitMapSettings(landoURL: url, repository: try reader.nonEmptyString("repo") ?? "firefox")
        try reader.rejectUnknownKeys()
        return settings
    }
}
