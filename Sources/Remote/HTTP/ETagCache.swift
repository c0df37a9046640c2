import Foundation

/// A response kept for conditional GETs.
public struct CachedResponse: Sendable, Equatable {
    public var etag: String
    public var response: HTTPResponse

    public init(etag: String, response: HTTPResponse) {
        self.etag = etag
        self.response = response
    }
}

/// Storage for `HTTPClient`'s conditional GETs, keyed by URL. Implementations must be safe to
/// call from several threads. Keys are full URLs: keep tokens in headers, not in URLs, if the
/// cache is persistent.
///
/// The cache does not vary by `Authorization`: one client should use one identity.
public protocol ETagCache: Sendable {
    func lookup(_ url: String) -> CachedResponse?
    func store(_ entry: CachedResponse, for url: String)
}

/// An `ETagCache` in memory, unbounded, for the life of the process.
public final class InMemoryETagCache: ETagCache, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: CachedResponse] = [:]

    public init() {}

    public func lookup(_ url: String) -> CachedResponse? {
        lock.withLock { entries[url] }
    }

    public func store(_ entry: CachedResponse, for url: String) {
        lock.withLock { entries[url] = entry }
    }
}
