@testable import RepoOps
import Testing

/// How a failed push's message is read: a closed tree waits, a hook's refusal is for a person, a
/// lock or a failed write is tried again; a reference's name never decides.
@Suite("Push outcomes")
struct PushOutcomeTests {
    func git(_ message: String) -> PushOutcome { .failure(message, refused: GitLandingClone.isRefusal(message)) }
    func hg(_ message: String) -> PushOutcome { .failure(message, refused: PushOutcome.hgHookRefused(message)) }

    @Test func gitPorcelainIsJudgedOnTheReasonNotTheReferenceName() {
        let declined = "To /repos/autoland\n!\trefs/heads/lock-x:refs/heads/lock-x\t[remote rejected] (pre-receive hook declined)\nDone"
        #expect(git(declined) == .refused(declined))
        let locked = "To /repos/autoland\n!\trefs/heads/main:refs/heads/main\t[remote rejected] (failed to lock)\nDone"
        #expect(git(locked) == .failed(locked))
        let closed = "remote: autoland is CLOSED! (bustage)\nTo /repos/autoland\n!\tHEAD:refs/heads/autoland\t[remote rejected] (pre-receive hook declined)"
        #expect(git(closed) == .treeClosed("remote: autoland is CLOSED! (bustage)"))
    }

    @Test func mercurialHooksRefuseUnlessTheTreeIsClosed() {
        let refused = "pushing to /repos/autoland\ntree rules: not now\nabort: pretxnchangegroup.refuse hook exited with status 1"
        #expect(hg(refused) == .refused(refused))
        let closed = "pushing to /repos/autoland\nautoland is CLOSED!\nabort: pretxnchangegroup.treeclosure hook exited with status 1"
        #expect(hg(closed) == .treeClosed("autoland is CLOSED!"))
        let unreachable = "abort: repository /repos/gone not found"
        #expect(hg(unreachable) == .failed(unreachable))
    }
}
