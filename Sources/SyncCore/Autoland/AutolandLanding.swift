/// How one attempt to land a request ended, as the shell saw it.
public enum LandingAttempt: Sendable, Equatable {
    /// Treestatus says the tree is closed: nothing was built.
    case treeClosed(reason: String)
    /// The changesets no longer apply to the tree's tip: these files conflict.
    case conflict(files: [String])
    /// The try repository no longer has these changesets (try is reset from time to time).
    case stripped(nodes: [String])
    /// The tree already has the tip an earlier attempt built (pushed before a crash or a lost answer).
    case alreadyLanded(node: String)
    case pushed(node: String)
    /// Someone pushed first: the tip moved.
    case lostRace(message: String)
    /// The push was refused otherwise (e.g. a hook), with hg's or git's message: for a sheriff.
    case pushFailed(message: String)
    /// The push failed for a passing reason (the tree unreachable, a lock, a cut connection), with
    /// the message: tried again at the next poll.
    case pushInterrupted(message: String)
    /// The Lando job FAILED while the branch had not moved, was CANCELLED, or claimed LANDED
    /// without the commits on the branch: Lando's reason.
    case landoStopped(reason: String)
    /// Lando has the landing and has not landed it yet (deferred, running, or its answer was lost).
    case landoWaiting(reason: String)
}

/// The rules of landing a request whose run passed (or that a sheriff approved), from values.
public enum AutolandLanding {
    /// The input `AutolandMachine` takes for `attempt` (the `number`th of at most `maxAttempts`),
    /// and whether to rebuild on the new tip and push again at once: only after a lost race while
    /// attempts remain. A push refused for another reason is not tried again by itself: the next
    /// poll would be refused the same way.
    public static func decide(_ attempt: LandingAttempt, number: Int, maxAttempts: Int) -> (input: AutolandInput, again: Bool) {
        switch attempt {
        case .treeClosed(let reason): (.treeClosed(reason: reason), false)
        case .conflict(let files): (.conflict(files: files), false)
        case .stripped(let nodes): (.stripped(nodes: nodes), false)
        case .alreadyLanded(let node), .pushed(let node): (.landed(node: node), false)
        case .lostRace(let message):
            number < maxAttempts ? (.pushFailed(reason: "lost a push race (attempt \(number))"), true)
                : (.pushFailed(reason: "lost \(number) push races in a row: \(message)"), false)
        case .pushFailed(let message): (.pushRefused(reason: message), false)
        case .pushInterrupted(let message): (.pushInterrupted(reason: message), false)
        case .landoWaiting(let reason): (.landoWaiting(reason: reason), false)
        case .landoStopped(let reason): (.landoStopped(reason: reason), false)
        }
    }

    /// The changesets still to land: those of the request the tree does not have yet, in order.
    public static func toLand(_ nodes: [String], treeHas: (String) throws -> Bool) rethrows -> [String] {
        try nodes.filter { try !treeHas($0) }
    }

    /// The text posted on a bug for one of a request's comments: the comment, then which request
    /// and try push it is about, so that two requests' equal comments are two comments, and a
    /// comment already on the bug (posted before a crash) is recognised.
    public static func bugComment(_ comment: String, request: AutolandRequest) -> String {
        "\(comment)\n\n(autoland request #\(request.id): \(request.repository) push \(request.tip.prefix(12)) by \(request.requester ?? "an unknown user"))"
    }
}
