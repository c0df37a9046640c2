import SyncCore

extension Application {
    /// Opens the PR reverting upstream what sync `syncID` merged before Gecko backed it out, or
    /// finds the one opened before; returns the sync and what was done. Only a person runs this:
    /// wptsync never reverts upstream work by itself.
    public func revertUpstream(syncID: Int64) throws -> (sync: UpstreamSync, line: String) {
        guard let sync = try journal.sync(id: syncID) else { throw ApplicationError.noSuchSync(syncID) }
        guard let syncer = try UpstreamSyncer.make(config: config, store: journal, redactor: redactor, environment: environment) else {
            throw UpstreamError.notConfigured("[github] and [wpt] upstream_push_url")
        }
        return try syncer.reconciler.openRevert(sync)
    }
}
