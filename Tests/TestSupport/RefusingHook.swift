import Foundation

extension SyncWorld {
    /// Makes the Gecko repository at `repository` (Mercurial or git, as the world's) refuse every
    /// push through its own hook, as a tree's server does: hg's `pretxnchangegroup.<name>` or git's
    /// `pre-receive` runs `command` (shell; what it prints reaches the pusher) and fails. Returns a
    /// function that lifts the refusal, leaving the repository's configuration as it was.
    public func refusePushes(to repository: String, hook name: String, running command: String) throws -> () throws -> Void {
        guard geckoKind == .git else {
            let hgrc = repository + "/.hg/hgrc"
            let original = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
            try writeFile(hgrc, original + "\n[hooks]\npretxnchangegroup.\(name) = \(command) && false\n")
            return { try writeFile(hgrc, original) }
        }
        let hook = repository + "/hooks/pre-receive"
        let original = try? String(contentsOfFile: hook, encoding: .utf8)
        try writeFile(hook, "#!/bin/sh\n\(command)\nexit 1\n", executable: true)
        return {
            guard let original else { return try FileManager.default.removeItem(atPath: hook) }
            try writeFile(hook, original, executable: true)
        }
    }

    /// Makes pushes to the Gecko repository at `repository` fail on a lock someone else holds: git's
    /// on `branch`; Mercurial's on the store, held by another host, which a push gives up on after
    /// 1 s. Returns a function that releases it.
    public func holdLock(on repository: String, branch: String) throws -> () throws -> Void {
        guard geckoKind == .git else {
            let lock = repository + "/.hg/store/lock", hgrc = repository + "/.hg/hgrc"
            let original = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
            try writeFile(hgrc, original + "\n[ui]\ntimeout = 1\n")
            try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: "elsewhere.example:4242")
            return {
                try FileManager.default.removeItem(atPath: lock)
                try writeFile(hgrc, original)
            }
        }
        let lock = repository + "/refs/heads/\(branch).lock"
        try writeFile(lock, "")
        return { try FileManager.default.removeItem(atPath: lock) }
    }
}
