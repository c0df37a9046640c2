import Foundation
import SyncCore

/// A one-changeset hg push to `repository` whose node is `n` in hex.
func push(_ repository: String, _ n: Int) -> EventPayload {
    let node = String(format: "%040x", n)
    return .hgPush(HgPush(repository: repository, firstNode: node, lastNode: node, source: "push"))
}

/// The journal tests' clock starts here.
let t0 = Date(timeIntervalSince1970: 1_700_000_000)
