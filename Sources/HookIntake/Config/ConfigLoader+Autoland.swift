import SyncCore

extension ConfigLoader {
    /// `[autoland]`: needs a `[[gecko]]` repository with role try and names integration repositories as trees.
    static func readAutoland(_ reader: TableReader?, gecko: [GeckoRepository]) throws(ConfigError) -> AutolandSettings? {
        guard let reader else { return nil }
        guard gecko.contains(where: { $0.role == .try }) else {
            throw .invalid(file: reader.file, key: reader.name("default_tree"), reason: "[autoland] needs a [[gecko]] repository with role \"try\"")
        }
        let integration = gecko.filter { $0.role == .integration }.map(\.name)
        let trees = try reader.strings("trees") ?? integration
        for tree in trees where !integration.contains(tree) {
            throw .invalid(file: reader.file, key: reader.name("trees"),
                           reason: "names \"\(Redactor.url(tree))\", which is no [[gecko]] repository with role integration")
        }
        guard !trees.isEmpty else {
            throw .invalid(file: reader.file, key: reader.name("trees"), reason: "is empty: autoland needs an integration repository to land on")
        }
        let defaultTree: String
        if let named = try reader.string("default_tree") {
            guard trees.contains(named) else {
                throw .invalid(file: reader.file, key: reader.name("default_tree"),
                               reason: "must be one of the trees (\(trees.joined(separator: ", "))), got \"\(Redactor.url(named))\"")
            }
            defaultTree = named
        } else if trees.count == 1 {
            defaultTree = trees[0]
        } else {
            throw .invalid(file: reader.file, key: reader.name("default_tree"), reason: "is required when there are several trees (\(trees.joined(separator: ", ")))")
        }
        var settings = AutolandSettings(defaultTree: defaultTree, trees: trees)
        settings.maxRetriggers = try reader.integer("max_retriggers", in: AutolandSettings.retriggerRange) ?? settings.maxRetriggers
        settings.maxTier = try reader.integer("max_tier", in: AutolandSettings.tierRange) ?? settings.maxTier
        if let ignored = try reader.strings("ignored_jobs") {
            if ignored.contains(where: \.isEmpty) {
                throw .invalid(file: reader.file, key: reader.name("ignored_jobs"), reason: "holds an empty name")
            }
            settings.ignoredJobs = ignored
        }
        try reader.rejectUnknownKeys()
        return settings
    }
}
