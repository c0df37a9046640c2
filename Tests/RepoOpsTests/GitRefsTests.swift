import Testing
import RepoOps
import TestSupport

@Test func referenceCompareAndSwap() throws {
    let dir = TempDir("git-refs")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let first = try repo.commitFiles(["a": "1"])
    let second = try repo.commitFiles(["a": "2"], parents: [first])
    let ref = "refs/heads/sync"

    try repo.updateReference(ref, to: first, expecting: .absent)
    #expect(try repo.referenceTarget(ref) == first)
    #expect(throws: GitError.referenceMoved(name: ref, expected: nil, actual: first)) {
        try repo.updateReference(ref, to: second, expecting: .absent)
    }
    try repo.updateReference(ref, to: second, expecting: .value(first))
    #expect(try git(["rev-parse", ref], in: dir.sub("r.git")) == second.hex)
    #expect(throws: GitError.referenceMoved(name: ref, expected: first, actual: second)) {
        try repo.updateReference(ref, to: first, expecting: .value(first))
    }
    #expect(throws: GitError.referenceMoved(name: "refs/heads/none", expected: first, actual: nil)) {
        try repo.updateReference("refs/heads/none", to: second, expecting: .value(first))
    }
    #expect(try repo.referenceTarget("refs/heads/none") == nil)
    try repo.updateReference(ref, to: first, expecting: .any)
    #expect(try repo.referenceTarget(ref) == first)
}

@Test func referenceCASSeesMovesByOtherWriters() throws {
    let dir = TempDir("git-refs-cli")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let first = try repo.commitFiles(["a": "1"])
    let second = try repo.commitFiles(["a": "2"], parents: [first])
    try repo.updateReference("refs/heads/main", to: first, expecting: .absent)
    try git(["update-ref", "refs/heads/main", second.hex], in: dir.sub("r.git"))
    #expect(throws: GitError.referenceMoved(name: "refs/heads/main", expected: first, actual: second)) {
        try repo.updateReference("refs/heads/main", to: first, expecting: .value(first))
    }
    #expect(try git(["rev-parse", "refs/heads/main"], in: dir.sub("r.git")) == second.hex)
}

@Test func deleteReferenceWithExpectation() throws {
    let dir = TempDir("git-refs-delete")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"))
    let first = try repo.commitFiles(["a": "1"])
    let second = try repo.commitFiles(["a": "2"], parents: [first])
    try repo.updateReference("refs/heads/x", to: second, expecting: .absent)
    #expect(throws: GitError.referenceMoved(name: "refs/heads/x", expected: first, actual: second)) {
        try repo.deleteReference("refs/heads/x", expecting: .value(first))
    }
    try repo.deleteReference("refs/heads/x", expecting: .value(second))
    #expect(try repo.referenceTarget("refs/heads/x") == nil)
    try repo.deleteReference("refs/heads/x")
    #expect(throws: GitError.referenceMoved(name: "refs/heads/x", expected: second, actual: nil)) {
        try repo.deleteReference("refs/heads/x", expecting: .value(second))
    }
}

@Test func resolveRevspecsAndListReferences() throws {
    let dir = TempDir("git-revparse")
    let repo = try GitRepository.initBare(at: dir.sub("r.git"), initialBranch: "main")
    let first = try repo.commitFiles(["a": "1"])
    let second = try repo.commitFiles(["a": "2"], parents: [first])
    try repo.updateReference("refs/heads/main", to: second, expecting: .absent)
    try repo.updateReference("refs/heads/other", to: first, expecting: .absent)
    try repo.updateReference("refs/notes/x", to: first, expecting: .absent)

    #expect(try repo.resolve("main") == second)
    #expect(try repo.resolve("HEAD~1") == first)
    #expect(try repo.resolve(String(first.hex.prefix(10))) == first)
    #expect(try repo.resolve("main^{tree}") == (try repo.commit(second)).tree)
    #expect(try repo.referenceTarget("HEAD") == second)
    let heads = try repo.references(matching: "refs/heads/*")
    #expect(heads.map(\.name) == ["refs/heads/main", "refs/heads/other"])
    #expect(heads.map(\.target) == [second, first])
    #expect(try repo.references().count == 3)
    do {
        _ = try repo.resolve("no-such-branch")
        Issue.record("resolving an unknown revspec succeeded")
    } catch {
        #expect(error.isNotFound)
        #expect(error.description.contains("no-such-branch"))
    }
}
