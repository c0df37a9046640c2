import Foundation

/// Who may land: a source of group memberships (a groups file, an LDAP directory).
public protocol LandingPermission: Sendable {
    /// The groups `user` is in; nil when the backend does not know the user. Throws when it cannot answer.
    func groups(of user: String) throws -> Set<String>?
}

extension LandingPermission {
    /// The level-3 check, failing closed: a backend that cannot answer leaves the request waiting.
    public func level3(_ user: String) -> AccessVerdict {
        do { return LandingAccess.verdict(user: user, groups: try groups(of: user)) } catch {
            return .unavailable(reason: "\(error)")
        }
    }
}

/// The rule for commit access level 3 (hg.mozilla.org's and Lando's): a member of
/// `active_scm_level_3` and not of `expired_scm_level_3`.
public enum LandingAccess {
    public static let activeGroup = "active_scm_level_3"
    public static let expiredGroup = "expired_scm_level_3"

    public static func verdict(user: String, groups: Set<String>?) -> AccessVerdict {
        guard let groups else { return .refused(reason: "\(user) is not known to the access directory") }
        if groups.contains(expiredGroup) { return .refused(reason: "\(user) is in \(expiredGroup): commit access level 3 has expired") }
        guard groups.contains(activeGroup) else { return .refused(reason: "\(user) is not in \(activeGroup): no commit access level 3") }
        return .granted
    }

    /// A groups file: one user per line, `user: group group …`; `#` starts a comment. A user listed
    /// with no group is known and in no group.
    public static func parseGroupsFile(_ text: String, file: String) throws(AutolandError) -> [String: Set<String>] {
        var users: [String: Set<String>] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .groupsFile(file: file, line: index + 1, reason: "expected \"user: group group …\"")
            }
            let user = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard HookInput.isUserName(user) else {
                throw .groupsFile(file: file, line: index + 1, reason: "\(HookInputError.quote(user)) is not a login or an e-mail address")
            }
            guard users[user] == nil else { throw .groupsFile(file: file, line: index + 1, reason: "lists \(user) a second time") }
            users[user] = Set(line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace).map(String.init))
        }
        return users
    }
}
