/// What a `DecodingError` says, for messages that name the field rather than Swift's context dump.
extension DecodingError {
    /// The path of the field that failed (`units.[0].commits`; empty for the whole document) and
    /// what was wrong with it (`missing` for an absent key).
    public var failedField: (path: String, problem: String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case let .keyNotFound(key, context):
            return (path(context.codingPath + [key]), "missing")
        case let .valueNotFound(_, context), let .typeMismatch(_, context), let .dataCorrupted(context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(self)")
        }
    }
}
