/// A configuration file that cannot be used. Each case names the file and the key.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, reason: String)
    case missing(file: String, key: String)
    case wrongType(file: String, key: String, expected: String)
    case invalid(file: String, key: String, reason: String)
    case unknownKey(file: String, key: String)
    case notFound(searched: [String])

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "cannot read configuration \(file): \(reason)"
        case let .syntax(file, line, column, reason): "\(file):\(line):\(column): \(reason)"
        case let .missing(file, key): "\(file): missing required key `\(key)`"
        case let .wrongType(file, key, expected): "\(file): `\(key)` must be \(expected)"
        case let .invalid(file, key, reason): "\(file): `\(key)` \(reason)"
        case let .unknownKey(file, key): "\(file): unknown key `\(key)` (misspelt?)"
        case let .notFound(searched): "no configuration file: pass --config or set WPTSYNC_CONFIG (looked for \(searched.joined(separator: ", ")))"
        }
    }
}
