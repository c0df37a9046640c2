import SyncCore

extension HookIntake {
    /// The decision for a post-receive hook running in a git `[[gecko]]` repository (bare, or the
    /// `.git` of a clone): updates of its branch are recorded like the mirror's, under its name.
    /// Nil when `gitDirectory` (canonical) is no git Gecko repository.
    func geckoGitDecision(stdin: [UInt8], gitDirectory: String, user: String?) -> Decision? {
        guard let repository = config.gecko.first(where: { repo in
            repo.kind == .git && [repo.path, repo.path + "/.git"].contains { Paths.canonical($0) == gitDirectory }
        }) else { return nil }
        let (decision, problems) = HookInput.gitPostReceive(stdin: stdin, gecko: repository, user: user)
        let rejected = problems.map { "\(repository.name): \($0)" }
        switch decision {
        case .record(let payload): return .record(payload, problems: rejected)
        case .skip(let reason): return rejected.isEmpty ? .skip(reason) : .rejected(rejected)
        }
    }
}
