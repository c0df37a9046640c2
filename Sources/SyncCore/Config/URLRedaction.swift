extension Redactor {
    /// Query parameters whose values are secrets.
    static let secretQueryNames: Set<String> = ["access_token", "token", "client_secret", "api_key", "bugzilla_api_key"]

    /// `url` with any userinfo and secret query parameter values replaced by `<redacted>`, for
    /// echoing a URL (or any configured value that may be one) in a message.
    public static func url(_ url: String) -> String {
        var rest = Substring(url)
        var result = ""
        if let colon = rest.indices.first(where: { rest[$0...].hasPrefix("://") }) {
            let authority = rest.index(colon, offsetBy: 3)
            result += rest[..<authority]
            rest = rest[authority...]
            let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result += "<redacted>"
                rest = rest[at...]
            }
        }
        guard let queryStart = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...queryStart]
        let queryEnd = rest.firstIndex(of: "#") ?? rest.endIndex
        let parameters = rest[rest.index(after: queryStart)..<queryEnd].split(separator: "&", omittingEmptySubsequences: false)
        result += parameters.map { parameter in
            let name = parameter.prefix { $0 != "=" }
            return secretQueryNames.contains(name.lowercased()) ? "\(name)=<redacted>" : String(parameter)
        }.joined(separator: "&")
        return result + rest[queryEnd...]
    }
}
