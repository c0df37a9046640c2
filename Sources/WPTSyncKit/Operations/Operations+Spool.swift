import Store

extension Operations {
    /// The warning `wptsync events` gives while the spool's quarantine file holds entries, or nil.
    public func quarantineLine() -> String? {
        SpoolFile(path: app.config.store.spool).unreadableSummary().map {
            "warning: \($0.file) holds \($0.records) unreadable spool record(s), \($0.bytes) byte(s),"
                + " that could not be imported: read it, replay what it names, then remove it"
        }
    }
}
