/// The targets of an HTTP `Link` header (RFC 8288) by relation, such as GitHub's pagination
/// `<https://api.github.com/…?page=2>; rel="next", <…?page=5>; rel="last"`.
///
/// A link with several relations (`rel="next last"`) is listed under each; for a relation given
/// twice the first link wins. Malformed parts are skipped.
public func parseLinkHeader(_ value: String) -> [String: String] {
    var links: [String: String] = [:]
    var rest = Substring(value)
    while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
        let target = String(rest[rest.index(after: open)..<close])
        let afterTarget = rest[rest.index(after: close)...]
        // Parameters run up to the next link; URLs are delimited by <>, so the next "<" starts one.
        let parametersEnd = afterTarget.firstIndex(of: "<") ?? afterTarget.endIndex
        for relation in relations(in: afterTarget[..<parametersEnd]) where links[relation] == nil {
            links[relation] = target
        }
        rest = afterTarget[parametersEnd...]
    }
    return links
}

/// The values of `rel` in `; rel="a b"; title="x",` (quoted or not), lowercased.
private func relations(in parameters: Substring) -> [String] {
    for parameter in parameters.split(separator: ";") {
        let parts = parameter.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0].trimmingWhitespace().lowercased() == "rel" else { continue }
        var value = parts[1].trimmingWhitespace()
        if value.hasSuffix(",") { value = String(value.dropLast()).trimmingWhitespace() }
        value = String(value.drop { $0 == "\"" }.reversed().drop { $0 == "\"" }.reversed())
        return value.split(separator: " ").map { $0.lowercased() }
    }
    return []
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
