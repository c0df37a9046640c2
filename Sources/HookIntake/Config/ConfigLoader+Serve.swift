import SyncCore

extension ConfigLoader {
    /// `[serve]`: the webhook service's listen address, its secret's source and the body limit.
    static func readServe(_ reader: TableReader?) throws(ConfigError) -> ServeSettings {
        var settings = ServeSettings()
        guard let reader else { return settings }
        settings.isConfigured = true
        if let listen = try reader.string("listen") {
            switch ListenAddress.parse(listen) {
            case .success(let address): settings.listen = address
            case .failure(let problem):
                throw .invalid(file: reader.file, key: reader.name("listen"), reason: "is \"\(Redactor.url(listen))\", which \(problem)")
            }
        }
        settings.secret = try secret(reader, "secret") ?? settings.secret
        settings.maxBodyBytes = try reader.integer("max_body_bytes", in: Ranges.maxBodyBytes) ?? settings.maxBodyBytes
        try reader.rejectUnknownKeys()
        return settings
    }
}
