import SyncCore

extension BugzillaClient {
    /// Sets the single-valued fields in `wanted` that nobody but `toolAccount` changed since
    /// wptsync last set them (`lastSet`, field → value), per `BugFieldOwnership`, reading the bug's
    /// history first; the others are left as a person set them. `comment`, when given, is added in
    /// the same update. Sends nothing when there is nothing to set or say.
    public func updateOwnedFields(
        _ id: Int, wanted: [String: String], lastSet: [String: String], toolAccount: String, comment: String? = nil
    ) throws(RemoteError) -> OwnedFieldsUpdate {
        let history = wanted.isEmpty ? [] : try history(id)
        let (set, left) = BugFieldOwnership.partition(
            wanted: wanted, lastSet: lastSet, toolAccount: toolAccount, history: history)
        let change = BugUpdate(fields: set, comment: comment)
        let changes = change.isEmpty ? [:] : try update(id, change)
        return OwnedFieldsUpdate(changes: changes, leftAlone: left)
    }
}
