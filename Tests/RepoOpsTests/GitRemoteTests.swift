import Foundation
import Testing
import RepoOps
import TestSupport

/// A source repository with two branches, and an empty bare target.
private func makePair(_ dir: TempDir) throws -> (source: GitRepository, first: Oid, second: Oid, target: String) {
    let source = try GitRepository.initBare(at: dir.sub("source.git"))
    let first = try source.commitFiles(["a": "1\n"])
    let second = try source.commitFiles(["a": "2\n"], parents: [first])
    try source.updateReference("refs/heads/main", to: second, expecting: .absent)
    try source.updateReference("refs/heads/old", to: first, expecting: .absent)
    let target = dir.sub("target.git")
    try git(["init", "-q", "--bare", target], in: dir.path)
    return (source, first, second, target)
}

@Test func pushToPathForcePushAndDelete() throws {
    let dir = TempDir("git-push")
    let (source, first, second, target) = try makePair(dir)

    try source.push(to: target, refspecs: ["refs/heads/main:refs/heads/main", "refs/heads/old:refs/heads/old"])
    #expect(try git(["rev-parse", "refs/heads/main"], in: target) == second.hex)
    #expect(try git(["rev-parse", "refs/heads/old"], in: target) == first.hex)
    try git(["fsck", "--strict"], in: target)

    do {
        try source.push(to: target, refspecs: ["refs/heads/old:refs/heads/main"])
        Issue.record("non-fast-forward push succeeded")
    } catch {
        #expect(error.code == -11)  // GIT_ENONFASTFORWARD
    }
    #expect(try git(["rev-parse", "refs/heads/main"], in: target) == second.hex)
    try source.push(to: target, refspecs: ["+refs/heads/old:refs/heads/main"])
    #expect(try git(["rev-parse", "refs/heads/main"], in: target) == first.hex)

    try source.push(to: target, refspecs: [":refs/heads/old"])
    #expect(try git(["for-each-ref", "--format=%(refname)"], in: target) == "refs/heads/main")
}

@Test func pushToFileURL() throws {
    let dir = TempDir("git-push-url")
    let (source, _, second, target) = try makePair(dir)
    try source.push(to: "file://" + target, refspecs: ["refs/heads/main:refs/heads/upstream"])
    #expect(try git(["rev-parse", "refs/heads/upstream"], in: target) == second.hex)
    #expect(try git(["log", "--format=%B", "-1", "refs/heads/upstream"], in: target) == "test\n")
}

@Test func pushRejectedByRemoteIsReported() throws {
    let dir = TempDir("git-push-hook")
    let (source, _, _, target) = try makePair(dir)
    try writeFile(target + "/hooks/update", "#!/bin/sh\nexit 1\n", executable: true)
    let daemon = try startGitDaemon(basePath: dir.path)
    defer { daemon.server.stop() }
    do {
        try source.push(to: daemon.url + "/target.git", refspecs: ["refs/heads/main:refs/heads/main", "refs/heads/old:refs/heads/old"])
        Issue.record("push should have been rejected")
    } catch {
        guard case .pushRejected(let url, let rejections) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(url == daemon.url + "/target.git")
        #expect(rejections.keys.sorted() == ["refs/heads/main", "refs/heads/old"])
    }
}

@Test func fetchFromPathIntoMirrorRefs() throws {
    let dir = TempDir("git-fetch")
    let (source, first, second, _) = try makePair(dir)
    let mirror = try GitRepository.initBare(at: dir.sub("mirror.git"))
    try mirror.fetch(from: source.path, refspecs: ["+refs/heads/*:refs/mirror/*"])
    #expect(try mirror.references(matching: "refs/mirror/*").map(\.target) == [second, first])
    #expect(try mirror.commit(second).parents == [first])

    try source.deleteReference("refs/heads/old")
    try mirror.fetch(from: "file://" + source.path, refspecs: ["+refs/heads/*:refs/mirror/*"], prune: true)
    #expect(try mirror.references(matching: "refs/mirror/*").map(\.name) == ["refs/mirror/main"])
}

@Test func credentialsNeverAppearInErrors() throws {
    let dir = TempDir("git-secret")
    let (source, _, _, _) = try makePair(dir)
    let token = "ghp_SECRETTOKEN123"
    #expect(!RemoteCredentials.token(token).description.contains(token))
    for url in ["https://127.0.0.1:9/wpt.git", "https://someone:\(token)@127.0.0.1:9/wpt.git"] {
        do {
            try source.push(to: url, refspecs: ["refs/heads/main:refs/heads/main"], credentials: .token(token))
            Issue.record("push to a closed port succeeded")
        } catch {
            #expect(!error.description.contains(token))
            #expect(!String(describing: error).contains(token))
        }
    }
}

@Test func tokenGoesThroughCredentialsCallbackOnlyOnce() throws {
    let dir = TempDir("git-token")
    let (source, _, _, _) = try makePair(dir)
    let token = "ghp_SECRETTOKEN456"
    let http = try LoopbackHTTPServer()
    defer { http.stop() }
    let challenge = LoopbackHTTPServer.Reply.respond(status: 401, headers: [("WWW-Authenticate", "Basic realm=\"t\"")])
    http.enqueue(challenge, challenge, challenge, challenge)
    let url = http.baseURL + "/wpt.git"
    do {
        try source.push(to: url, refspecs: ["refs/heads/main:refs/heads/main"], credentials: .token(token))
        Issue.record("push to a server refusing everyone succeeded")
    } catch {
        #expect(error == .authenticationFailed(url: url))
        #expect(!error.description.contains(token))
    }
    let basic = "Basic " + Data("x-access-token:\(token)".utf8).base64EncodedString()
    #expect(http.requests.map { $0.header("Authorization") } == [nil, basic])
}

/// libgit2 fetches a branch the remote does not have without an error (as `findOnTry` expects: it
/// then finds no ref), over a path and over `git://` alike.
@Test func fetchingABranchTheRemoteDoesNotHaveFetchesNothing() throws {
    let dir = TempDir("git-fetch-missing")
    let (source, _, _, _) = try makePair(dir)
    let mirror = try GitRepository.initBare(at: dir.sub("mirror.git"))
    let (server, url) = try startGitDaemon(basePath: dir.path)
    defer { server.stop() }
    for remote in [source.path, url + "/source.git"] {
        try mirror.fetch(from: remote, refspecs: ["+refs/heads/try:refs/wptsync/try"])
        #expect(throws: GitError.self) { try mirror.resolve("refs/wptsync/try") }
    }
}

/// A worker killed while fetching into one of wptsync's own references leaves `<ref>.lock`; every
/// later fetch into it failed for good. A lock older than a write is removed; a fresh one is respected,
/// and a person's reference is never touched.
@Test func aStaleLockAKilledFetchLeftOnAWptsyncReferenceIsRemoved() throws {
    let dir = TempDir("git-fetch-stale-lock")
    let (source, _, second, _) = try makePair(dir)
    let mirror = try GitRepository.initBare(at: dir.sub("mirror.git"))
    let folder = dir.sub("mirror.git/refs/wptsync/current/gecko")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let lock = folder + "/102.lock"
    try writeFile(lock, "")
    #expect(throws: GitError.self, "a fresh lock is another process's write") {
        try mirror.fetch(from: source.path, refspecs: ["+refs/heads/main:refs/wptsync/current/gecko/102"])
    }
    var old = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
    #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    try mirror.fetch(from: source.path, refspecs: ["+refs/heads/main:refs/wptsync/current/gecko/102"])
    #expect(try mirror.resolve("refs/wptsync/current/gecko/102") == second)

    let personal = dir.sub("mirror.git/refs/heads/main.lock")
    try writeFile(personal, "")
    #expect(utimensat(AT_FDCWD, personal, &old, 0) == 0)
    mirror.removeStaleLock(of: "refs/heads/main")
    #expect(FileManager.default.fileExists(atPath: personal))
}

/// The same stale lock blocks deleting and updating the reference too, not only fetching into it.
@Test func aStaleLockOnAWptsyncReferenceNeitherBlocksItsUpdateNorItsDeletion() throws {
    let dir = TempDir("ref-stale-lock")
    let (source, first, second, _) = try makePair(dir)
    try source.updateReference("refs/wptsync/current/gecko/7", to: first, expecting: .absent)
    let lock = dir.sub("source.git/refs/wptsync/current/gecko/7.lock")
    var old = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
    try writeFile(lock, "")
    #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    try source.updateReference("refs/wptsync/current/gecko/7", to: second, expecting: .value(first))
    #expect(try source.resolve("refs/wptsync/current/gecko/7") == second)
    try writeFile(lock, "")
    #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    try source.deleteReference("refs/wptsync/current/gecko/7")
    #expect(throws: GitError.self) { try source.resolve("refs/wptsync/current/gecko/7") }
}

/// A process killed while deleting a packed reference leaves `packed-refs.lock`, and every later
/// deletion of a packed reference failed. It is removed, once stale, only where `packed-refs` is
/// wptsync's (its own clones), never in another repository, nor in the wpt mirror, where a push can
/// start `git gc --auto`; a fresh one is respected.
@Test func aStalePackedReferencesLockIsRemovedOnlyWhereItIsWptsyncs() throws {
    let dir = TempDir("packed-refs-stale-lock")
    let (source, first, _, _) = try makePair(dir)
    for name in ["refs/wptsync/current/gecko/8", "refs/wptsync/current/gecko/9"] { try source.updateReference(name, to: first, expecting: .absent) }
    try git(["--git-dir", source.path, "pack-refs", "--all"], in: dir.path)
    let lock = source.path + "packed-refs.lock"
    var old = [timespec(tv_sec: time(nil) - 600, tv_nsec: 0), timespec(tv_sec: time(nil) - 600, tv_nsec: 0)]
    try writeFile(lock, "")
    #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    #expect(throws: GitError.self, "not wptsync's packed-refs") { try source.deleteReference("refs/wptsync/current/gecko/8") }
    #expect(FileManager.default.fileExists(atPath: lock))

    let mirror = try GitRepository.open(at: source.path, locks: .wptMirror)
    #expect(throws: GitError.self, "not in the wpt mirror") { try mirror.deleteReference("refs/wptsync/current/gecko/8") }
    let clone = try GitRepository.open(at: source.path, locks: .ownClone)
    try clone.deleteReference("refs/wptsync/current/gecko/8")
    #expect(throws: GitError.self) { try clone.resolve("refs/wptsync/current/gecko/8") }
    try writeFile(lock, "")
    #expect(throws: GitError.self, "a fresh lock is another process's write") { try clone.deleteReference("refs/wptsync/current/gecko/9") }
}

/// In wptsync's own clone every reference is its own: a stale lock on any of them is removed; the
/// same lock in another repository stays.
@Test func aStaleLockOnAnyReferenceOfAnOwnCloneIsRemoved() throws {
    let dir = TempDir("own-clone-stale-lock")
    let (source, first, second, _) = try makePair(dir)
    let lock = source.path + "refs/heads/main.lock"
    var old = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
    try writeFile(lock, "")
    #expect(utimensat(AT_FDCWD, lock, &old, 0) == 0)
    #expect(throws: GitError.self, "a person's branch") { try source.updateReference("refs/heads/main", to: first, expecting: .value(second)) }
    let clone = try GitRepository.open(at: source.path, locks: .ownClone)
    try clone.updateReference("refs/heads/main", to: first, expecting: .value(second))
    #expect(try clone.resolve("refs/heads/main") == first)
}
