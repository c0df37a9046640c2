import Foundation
import RepoOps
import Synchronization
import SyncCore

/// Runs the local Lando's jobs as Lando's automation worker does: apply each job's patches onto
/// the branch's current head (as `git am` would: `mailsplit`, `mailinfo`, `apply --cached` on a
/// temporary index, `commit-tree` with the patch's author and the requester as committer), then
/// push: a closed tree defers the job, otherwise the branch moves by a push into the repository
/// (its hooks run, as on Lando's hosting) and the job is LANDED. A series that does not apply
/// FAILS with git's message, which names the file.
final class LandoWorker: Sendable {
    let service: LandoService
    /// Where temporary indexes and patches go.
    let scratch: String
    /// How long a deferred job waits before the worker tries it again.
    let deferRetry: TimeInterval
    private let processing = Mutex(())

    init(service: LandoService, scratch: String, deferRetry: TimeInterval) {
        self.service = service; self.scratch = scratch; self.deferRetry = deferRetry
    }

    /// Runs every job that is due once; returns how many ran.
    @discardableResult
    func runPending() -> Int {
        processing.withLock { _ in
            let ids = service.state.withLock { $0.runnable(now: Date(), deferRetry: deferRetry) }
            for id in ids { run(id) }
            return ids.count
        }
    }

    /// Returns once no round is running.
    func waitIdle() { processing.withLock { _ in } }

    private enum Outcome { case landed(String), deferred(String), failed(String) }

    private func run(_ id: Int) {
        let taken = service.state.withLock { state -> (LandoJob, LandoRepository, BaseMove?, String?)? in
            guard let index = state.jobs.firstIndex(where: { $0.id == id }), !state.jobs[index].status.isFinal,
                  let repo = state.repositories[state.jobs[index].repository] else { return nil }
            state.jobs[index].status = .inProgress
            state.jobs[index].attempts += 1
            state.jobs[index].lastAttempt = Date()
            let move = state.baseMoves.firstIndex { $0.repository == repo.name }.map { state.baseMoves.remove(at: $0) }
            let failure = state.jobFailures.firstIndex { $0.repository == repo.name }.map { state.jobFailures.remove(at: $0).message }
            return (state.jobs[index], repo, move, failure)
        }
        guard let (job, repo, move, failure) = taken else { return }
        let bare = BareRepository(path: repo.path)
        let outcome: Outcome
        do {
            if let move { try commitDirectly(move, to: repo, bare) }
            outcome = try failure.map { Outcome.failed($0) } ?? land(job, repo, bare)
        } catch {
            outcome = .failed("Unexpected error while pushing to \(repo.path).\n\(error)")
        }
        service.state.withLock { state in
            guard let index = state.jobs.firstIndex(where: { $0.id == id }) else { return }
            switch outcome {
            case .landed(let commit): state.jobs[index].status = .landed; state.jobs[index].landedCommit = commit
            case .deferred(let message): state.jobs[index].status = .deferred; state.jobs[index].error = message
            case .failed(let message): state.jobs[index].status = .failed; state.jobs[index].error = message
            }
            if case .landed = outcome { state.jobs[index].error = "" }
        }
    }

    private func land(_ job: LandoJob, _ repo: LandoRepository, _ bare: BareRepository) throws(LocalServiceError) -> Outcome {
        let start = try job.base.map { (base) throws(LocalServiceError) in try tryBase(base, repo, bare) } ?? bare.resolve("refs/heads/\(repo.branch)")
        guard let head = start else {
            return .failed(job.base.map { "Aborting, base commit \($0) is not in \(repo.path)." }
                           ?? "Aborting, branch \(repo.branch) does not exist in \(repo.path).")
        }
        let directory = "\(scratch)/job-\(job.id)-\(job.attempts)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var tip = head
        switch try apply(job, onto: head, bare, in: directory) {
        case .failure(let problem): return .failed(problem.message)
        case .success(let newTip): tip = newTip
        }
        // Lando learns of a closure when the push is refused; the patches applied first.
        let status = service.state.withLock { $0.trees[repo.tree]?.status } ?? "open"
        let push = "tree: \(repo.tree), push path: \(repo.path)"
        if status == "closed" || status == "approval required" {
            let kind = status == "closed" ? "TreeClosed" : "TreeApprovalRequired"
            return .deferred("Temporary error (<class 'lando.main.scm.exceptions.\(kind)'>) encountered while pushing to "
                             + "\(push): Tree \(repo.tree) is \(status).")
        }
        do {
            if job.base != nil { try forcePush(tip, to: repo, bare) } else { try bare.pushBranch(repo.branch, to: tip, from: head) }
        } catch {
            return .deferred("Temporary error (<class 'lando.main.scm.exceptions.SCMLostPushRace'>) encountered while "
                             + "pushing to \(push): \(error)")
        }
        return .landed(tip)
    }

    struct ApplyProblem: Error { var message: String }

    /// The commits of `job`'s actions written on top of `head`; the new tip, or Lando's message.
    private func apply(_ job: LandoJob, onto head: String, _ bare: BareRepository, in directory: String)
        throws(LocalServiceError) -> Result<String, ApplyProblem> {
        let index = ["GIT_INDEX_FILE": "\(directory)/index"]
        try make(directory)
        try check(bare.run(["read-tree", head], environment: index), "read-tree")
        var parent = head
        for (number, action) in job.actions.enumerated() {
            let content: String
            switch action {
            case .unsupported(let name):
                return .failure(ApplyProblem(message: "Aborting, `\(name)` (action #\(number)) is not supported by the local Lando."))
            case .addCommitBase64(let text): content = text
            }
            guard let patch = Data(base64Encoded: content) else {
                return .failure(ApplyProblem(message: "Aborting, could not decode patch from base64 in `add-commit-base64`, "
                                             + "action #\(number).\nInvalid base64-encoded string"))
            }
            let cannotApply = "Aborting, could not apply patch in `add-commit-base64` action #\(number)."
            let mails = "\(directory)/mails-\(number)"
            try make(mails)
            try write("\(directory)/patch-\(number)", Array(patch))
            try check(bare.run(["mailsplit", "--keep-cr", "-o\(mails)", "\(directory)/patch-\(number)"]), "mailsplit")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: mails)) ?? []).sorted()
            guard !names.isEmpty else { return .failure(ApplyProblem(message: "\(cannotApply)\n\nPatch format detection failed.")) }
            for name in names {
                let mail = (try? Data(contentsOf: URL(fileURLWithPath: "\(mails)/\(name)"))).map { Array($0) } ?? []
                let (message, diff) = ("\(directory)/msg", "\(directory)/diff")
                let info = try bare.run(["mailinfo", message, diff], stdin: mail)
                try check(info, "mailinfo")
                let fields = Self.fields(info.stdoutString)
                guard let size = try? FileManager.default.attributesOfItem(atPath: diff)[.size] as? Int, size > 0 else {
                    return .failure(ApplyProblem(message: "\(cannotApply)\n\nPatch is empty."))
                }
                let applied = try bare.run(["apply", "--cached", diff], environment: index)
                guard applied.status == 0 else {
                    return .failure(ApplyProblem(message: "\(cannotApply)\n\n\(applied.stderrString)"))
                }
                let tree = try check(bare.run(["write-tree"], environment: index), "write-tree")
                let body = (try? String(contentsOfFile: message, encoding: .utf8)) ?? ""
                let text = (fields["Subject"] ?? "") + "\n" + (body.isEmpty ? "" : "\n" + body)
                parent = try check(bare.run(["commit-tree", tree, "-p", parent], environment: [
                    "GIT_AUTHOR_NAME": fields["Author"] ?? "", "GIT_AUTHOR_EMAIL": fields["Email"] ?? "",
                    "GIT_AUTHOR_DATE": fields["Date"] ?? "", "GIT_COMMITTER_NAME": job.requester,
                    "GIT_COMMITTER_EMAIL": job.requester,
                ], stdin: Array(text.utf8)), "commit-tree")
            }
        }
        return .success(parent)
    }

    /// Commits `move` on top of the branch, as another landing would.
    private func commitDirectly(_ move: BaseMove, to repo: LandoRepository, _ bare: BareRepository) throws(LocalServiceError) {
        guard let head = bare.resolve("refs/heads/\(repo.branch)") else { return }
        let directory = "\(scratch)/move-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try make(directory)
        let index = ["GIT_INDEX_FILE": "\(directory)/index"]
        try check(bare.run(["read-tree", head], environment: index), "read-tree")
        let blob = try check(bare.run(["hash-object", "-w", "--stdin"], stdin: Array(move.contents.utf8)), "hash-object")
        try check(bare.run(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(move.path)"], environment: index), "update-index")
        let tree = try check(bare.run(["write-tree"], environment: index), "write-tree")
        let commit = try check(bare.run(["commit-tree", tree, "-p", head], environment: [
            "GIT_AUTHOR_NAME": "Other Lander", "GIT_AUTHOR_EMAIL": "other@example.com",
            "GIT_COMMITTER_NAME": "Lando", "GIT_COMMITTER_EMAIL": "lando@lando.test",
        ], stdin: Array(move.message.utf8)), "commit-tree")
        try bare.pushBranch(repo.branch, to: commit, from: head)
    }

    /// `Author`, `Email`, `Subject`, `Date` from `git mailinfo`'s output.
    static func fields(_ info: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in info.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    @discardableResult
    private func check(_ output: ProcessOutput, _ what: String) throws(LocalServiceError) -> String {
        guard output.status == 0 else { throw .git("\(what) failed: \(output.stderrString)") }
        return output.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func make(_ directory: String) throws(LocalServiceError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(directory): \(error)")
        }
    }

    private func write(_ path: String, _ bytes: [UInt8]) throws(LocalServiceError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw .io("cannot write \(path)") }
    }
}
