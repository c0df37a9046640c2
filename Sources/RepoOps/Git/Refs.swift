import CGit2

/// What a reference must point to for a compare-and-swap update to proceed.
public enum RefExpectation: Hashable, Sendable {
    /// Update whatever the current value is.
    case any
    /// The reference must not exist yet.
    case absent
    /// The reference must currently point to this object.
    case value(Oid)
}

extension GitRepository {
    /// The object that `revspec` names (`main`, `refs/heads/x~2`, `abc123^{tree}`, a full id, ...).
    public func resolve(_ revspec: String) throws(GitError) -> Oid {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, handle, revspec), "resolve revision '\(revspec)'")
        defer { git_object_free(object) }
        return Oid(git_object_id(object))
    }

    /// The object reference `name` points to, following symbolic references; nil when it does not exist.
    public func referenceTarget(_ name: String) throws(GitError) -> Oid? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, handle, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "read reference \(name)")
        return Oid(oid)
    }

    /// The references whose full names match `glob` (`refs/heads/*`), with the objects
    /// they point to, sorted by name. Symbolic references are left out.
    public func references(matching glob: String = "refs/*") throws(GitError) -> [(name: String, target: Oid)] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, handle, glob), "list references matching \(glob)")
        defer { git_reference_iterator_free(iterator) }
        var result: [(name: String, target: Oid)] = []
        while true {
            var reference: OpaquePointer?
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "list references matching \(glob)")
            defer { git_reference_free(reference) }
            if let target = git_reference_target(reference) {
                result.append((String(cString: git_reference_name(reference)), Oid(target)))
            }
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Points reference `name` at `target`, atomically, only if it currently matches `expected`;
    /// otherwise throws `GitError.referenceMoved` and changes nothing.
    public func updateReference(_ name: String, to target: Oid, expecting expected: RefExpectation,
                                logMessage: String = "wptsync") throws(GitError) {
        removeStaleLock(of: name)
        var newRaw = target.raw
        var reference: OpaquePointer?
        let code: Int32
        switch expected {
        case .any:
            code = git_reference_create(&reference, handle, name, &newRaw, 1, logMessage)
        case .absent:
            code = git_reference_create(&reference, handle, name, &newRaw, 0, logMessage)
        case .value(let old):
            var oldRaw = old.raw
            code = git_reference_create_matching(&reference, handle, name, &newRaw, 1, &oldRaw, logMessage)
        }
        git_reference_free(reference)
        try checkSwap(code, name, expected, "update reference \(name) to \(target)")
    }

    /// Deletes reference `name` if it currently matches `expected` (`.any`: whatever it is);
    /// deleting an absent reference with `.any` or `.absent` does nothing.
    public func deleteReference(_ name: String, expecting expected: RefExpectation = .any) throws(GitError) {
        removeStaleLock(of: name)
        if lockOwnership.owns(name) { removeStalePackedReferencesLock() }
        var reference: OpaquePointer?
        let lookup = git_reference_lookup(&reference, handle, name)
        if lookup == GIT_ENOTFOUND.rawValue {
            guard case .value(let old) = expected else { return }
            throw .referenceMoved(name: name, expected: old, actual: nil)
        }
        try check(lookup, "read reference \(name)")
        defer { git_reference_free(reference) }
        let current = git_reference_target(reference).map(Oid.init)
        switch expected {
        case .any: break
        case .absent: throw .referenceMoved(name: name, expected: nil, actual: current)
        case .value(let old) where old != current: throw .referenceMoved(name: name, expected: old, actual: current)
        case .value: break
        }
        // libgit2 deletes only if the reference still has the value read by the lookup.
        try checkSwap(git_reference_delete(reference), name, expected, "delete reference \(name)")
    }

    private func checkSwap(_ code: Int32, _ name: String, _ expected: RefExpectation, _ operation: String) throws(GitError) {
        let moved = code == GIT_EMODIFIED.rawValue || code == GIT_EEXISTS.rawValue
            || (code == GIT_ENOTFOUND.rawValue && expected != .any)
        guard moved else { return try check(code, operation) }
        let expectedValue: Oid? = if case .value(let old) = expected { old } else { nil }
        throw .referenceMoved(name: name, expected: expectedValue, actual: try? referenceTarget(name))
    }
}
