import Foundation

/// Reading an LDAP directory's answer about one user, as `ldapsearch -LLL -o ldif-wrap=no` prints it.
public enum LDAPAnswer {
    /// The filter that finds, in one search, the user's own entry and the groups listing them:
    /// `(|(<userAttribute>=<user>)(<memberAttribute>=<user>))`, the user escaped as RFC 4515 says.
    public static func filter(user: String, userAttribute: String, memberAttribute: String) -> String {
        let value = escape(user)
        return "(|(\(userAttribute)=\(value))(\(memberAttribute)=\(value)))"
    }

    /// RFC 4515: `*`, `(`, `)`, `\` and NUL as `\XX`.
    public static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case 0x2a, 0x28, 0x29, 0x5c, 0x00: out += String(format: "\\%02x", byte)
            default: out += String(decoding: [byte], as: UTF8.self)
            }
        }
        return out
    }

    /// The groups of the user from the search's entries: the `cn` of each entry whose object
    /// classes include `groupClass`; nil when no other entry (the user's own) was found.
    public static func groups(ldif: String, groupClass: String = "posixGroup") -> Set<String>? {
        var known = false
        var groups: Set<String> = []
        for entry in entries(ldif) {
            let classes = Set((entry["objectclass"] ?? []).map { $0.lowercased() })
            if classes.contains(groupClass.lowercased()) {
                groups.formUnion(entry["cn"] ?? [])
            } else {
                known = true
            }
        }
        return known ? groups : nil
    }

    /// LDIF entries (separated by blank lines) as attribute → values, attribute names lowercased;
    /// `attr:: base64` values decoded. Lines must not be wrapped.
    static func entries(_ ldif: String) -> [[String: [String]]] {
        var entries: [[String: [String]]] = []
        var current: [String: [String]] = [:]
        for line in ldif.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { entries.append(current); current = [:] }
                continue
            }
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            var rest = line[line.index(after: colon)...]
            let encoded = rest.hasPrefix(":")
            if encoded { rest = rest.dropFirst() }
            let text = rest.trimmingCharacters(in: .whitespaces)
            let value = encoded ? Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "" : text
            current[name, default: []].append(value)
        }
        if !current.isEmpty { entries.append(current) }
        return entries
    }
}
