import Foundation
import Glibc

/// wptsync's own clone of the integration repository, where a landing's commits are built in
/// memory and from which they are pushed: Mercurial (`HgLandingWorkspace`) or git (`GitLandingClone`).
public protocol LandingWorkspace: AnyObject {
    /// The clone read as Gecko: files at a revision, whether it holds a commit.
    var source: any GeckoSource { get }
    /// Runs `body` holding the clone's lock, so two runs never build or push in it at once.
    func whileLocked<T>(_ body: () throws -> T) throws -> T
    /// Drops what an earlier run left unpushed and fetches the integration repository; returns its tip.
    func refresh() throws -> String
    /// Writes `commits` in order on top of `parent`; returns their nodes.
    func commit(_ commits: [PlannedCommit], onto parent: String) throws(ImportError) -> [String]
    /// Pushes `node` and its ancestors to the integration repository.
    func push(_ node: String) throws -> PushOutcome
    /// The commits of a landing as the integration repository's history up to `tip` holds them,
    /// oldest first (its landing commit last), or nil when they are not there. `nodes` are the
    /// commits as built on `base`; `markers` the lines only its landing commit carries.
    func landed(_ nodes: [String], markers: [String], base: String, tip: String) throws -> [String]?
    /// Whether `node` is `tip` or one of its ancestors (a commit built in the clone and never
    /// pushed is not, though the clone may hold it).
    func holds(_ node: String, reachableFrom tip: String) -> Bool
    /// Runs the landing command in a checkout of `node`; returns the files it changed.
    func runInCheckout(_ node: String, command: [String], timeout: Double) throws -> [HgPath: PlannedCommit.FileChange]
    /// Ends what the clone keeps open (Mercurial's command server); nothing for git.
    func close()
}

extension LandingWorkspace {
    public func close() {}
}

/// An exclusive `flock` on `path` (created when missing) held while `body` runs; a second caller waits.
func whileHoldingLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ImportError.lock(path: path, reason: String(cString: strerror(errno))) }
    defer { Glibc.close(fd) }
    flock(fd, LOCK_EX)
    defer { flock(fd, LOCK_UN) }
    return try body()
}

/// A Mercurial landing clone (`LandingClone`) pulling from and pushing to `url`.
public final class HgLandingWorkspace: LandingWorkspace {
    public let clone: LandingClone
    public let url: String

    public init(clone: LandingClone, url: String) { self.clone = clone; self.url = url }

    public var source: any GeckoSource { clone.hg }
    public func close() { clone.close() }
    public func whileLocked<T>(_ body: () throws -> T) throws -> T { try clone.whileLocked(body) }
    public func refresh() throws -> String { try clone.refresh(from: url) }
    public func commit(_ commits: [PlannedCommit], onto parent: String) throws(ImportError) -> [String] { try clone.commit(commits, onto: parent) }
    public func push(_ node: String) throws -> PushOutcome { try clone.push(node, to: url) }

    /// Mercurial keeps the nodes it was given: the landing is there when its landing commit is.
    public func landed(_ nodes: [String], markers: [String], base: String, tip: String) throws -> [String]? {
        guard let node = nodes.last, (try? clone.hg.isAncestor(node, of: tip)) == true else { return nil }
        return nodes
    }

    public func holds(_ node: String, reachableFrom tip: String) -> Bool {
        clone.contains(node) && (try? clone.hg.isAncestor(node, of: tip)) == true
    }

    public func runInCheckout(_ node: String, command: [String], timeout: Double) throws -> [HgPath: PlannedCommit.FileChange] {
        try clone.runInCheckout(node, command: command, timeout: timeout)
    }
}
