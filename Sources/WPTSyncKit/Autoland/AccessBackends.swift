import Foundation
import RepoOps
import SyncCore

/// Why an access backend could not answer. The request then waits (fail closed).
enum AccessError: Error, CustomStringConvertible {
    case groupsFile(String)
    case ldap(url: String, reason: String)

    var description: String {
        switch self {
        case .groupsFile(let reason): reason
        case let .ldap(url, reason): "LDAP \(url): \(reason)"
        }
    }
}

/// Group memberships from a groups file (`user: group group …`), read at every check so that
/// edits apply at once.
struct GroupsFilePermission: LandingPermission {
    let path: String

    func groups(of user: String) throws -> Set<String>? {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AccessError.groupsFile("cannot read the groups file \(path): \((error as NSError).localizedDescription)")
        }
        do { return try LandingAccess.parseGroupsFile(text, file: path)[user] } catch {
            throw AccessError.groupsFile("\(error)")
        }
    }
}

/// Group memberships from an LDAP directory, through `ldapsearch` (ldap-utils) run with an
/// argument array. One search finds the user's entry and the groups naming them. The bind
/// password goes through a file only this process can read (`-y`), never an argument or the
/// child's environment.
struct LDAPPermission: LandingPermission {
    let settings: LDAPSettings
    /// The bind password, read from its source at startup.
    let password: String?
    var ldapsearch = "ldapsearch"

    func groups(of user: String) throws -> Set<String>? {
        var arguments = ["-x", "-LLL", "-o", "ldif-wrap=no", "-o", "nettimeout=\(settings.timeoutSeconds)",
                         "-l", "\(settings.timeoutSeconds)", "-H", settings.url, "-b", settings.baseDN]
        let folder = try privateFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if let bindDN = settings.bindDN {
            arguments += ["-D", bindDN]
            if let password {
                let file = folder + "/password"
                guard FileManager.default.createFile(atPath: file, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw AccessError.ldap(url: settings.url, reason: "cannot write the password file in \(folder)")
                }
                arguments += ["-y", file]
            }
        }
        arguments += [LDAPAnswer.filter(user: user, userAttribute: settings.userAttribute, memberAttribute: settings.memberAttribute),
                      "cn", "objectClass"]
        let result: ProcessOutput
        do {
            result = try ProcessRunner.run(ldapsearch, arguments, timeout: Double(settings.timeoutSeconds) + 5)
        } catch {
            throw AccessError.ldap(url: settings.url, reason: "cannot run \(ldapsearch) (install ldap-utils): \(error)")
        }
        guard !result.timedOut else { throw AccessError.ldap(url: settings.url, reason: "no answer within \(settings.timeoutSeconds) s") }
        // 32: the base entry does not exist, so neither does the user below it.
        guard result.status == 0 || result.status == 32 else {
            let message = result.stderrString.split(separator: "\n").filter { !$0.hasPrefix("Warning") }.joined(separator: "; ")
            throw AccessError.ldap(url: settings.url, reason: message.isEmpty ? "ldapsearch exited with status \(result.status)" : message)
        }
        return LDAPAnswer.groups(ldif: result.stdoutString, groupClass: settings.groupClass)
    }

    private func privateFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/wptsync-ldap-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw AccessError.ldap(url: settings.url, reason: "cannot create a private folder: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}

extension AutolandSettings {
    /// The configured backend, its secret read from `environment` or its file.
    func permission(environment: [String: String]) throws -> any LandingPermission {
        switch access {
        case .groupsFile(let path): return GroupsFilePermission(path: path)
        case .ldap(let ldap): return LDAPPermission(settings: ldap, password: try ldap.password.map { try GitHubSetup.token($0, environment: environment).revealedValue })
        }
    }
}
