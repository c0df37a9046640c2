/// Every record besides the event journal: sync, landing, downstream and autoland records, the
/// operators' switches, status facts and the HTTP cache. `SQLiteJournal` and `PostgresJournal`
/// both keep all of them, each in its own database.
public typealias RecordStore = ServiceStore & LandingStore & StatusStore & DownstreamStore & DownstreamSyncStore & AutolandStore & HTTPCacheStore & SheriffAccessStore
