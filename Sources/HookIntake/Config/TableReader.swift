import Foundation
import TOMLKit

/// Reads typed values from one TOML table, naming keys by their full dotted path in errors and
/// reporting keys that nothing read.
final class TableReader {
    let table: TOMLTable
    let path: String
    let file: String
    /// The folder relative paths are resolved against: the configuration file's.
    let directory: String
    private var read: Set<String> = []

    init(_ table: TOMLTable, path: String, file: String, directory: String) {
        self.table = table; self.path = path; self.file = file; self.directory = directory
    }

    /// `path`, absolute: relative ones are taken from `directory`.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory + "/" + path).standardized.path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ key: String) throws(ConfigError) -> String? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw .wrongType(file: file, key: name(key), expected: "a string") }
        return text
    }

    func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try nonEmptyString(key) else { throw .missing(file: file, key: name(key)) }
        return text
    }

    /// An optional string that, when present, must not be empty (paths, names of variables).
    func nonEmptyString(_ key: String) throws(ConfigError) -> String? {
        guard let text = try string(key) else { return nil }
        guard !text.isEmpty else { throw .invalid(file: file, key: name(key), reason: "must not be empty") }
        return text
    }

    func int(_ key: String) throws(ConfigError) -> Int? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw .wrongType(file: file, key: name(key), expected: "an integer") }
        return number
    }

    func number(_ key: String) throws(ConfigError) -> Double? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        if let number = value.double { return number }
        if let number = value.int { return Double(number) }
        throw .wrongType(file: file, key: name(key), expected: "a number")
    }

    /// A whole number within `range`; a fraction or a value outside it is an error naming both.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        let allowed = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let number = value.int else {
            if let fraction = value.double { throw .invalid(file: file, key: name(key), reason: "must be \(allowed), got \(Self.shown(fraction))") }
            throw .wrongType(file: file, key: name(key), expected: "an integer")
        }
        guard range.contains(number) else { throw .invalid(file: file, key: name(key), reason: "must be \(allowed), got \(number)") }
        return number
    }

    /// A number (fractions allowed) within `range`; `unit` follows the bounds in the error.
    func number(_ key: String, in range: ClosedRange<Double>, unit: String) throws(ConfigError) -> Double? {
        guard let number = try number(key) else { return nil }
        guard number.isFinite, range.contains(number) else {
            throw .invalid(file: file, key: name(key),
                           reason: "must be from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)) \(unit), got \(Self.shown(number))")
        }
        return number
    }

    static func shown(_ value: Double) -> String { String(format: "%g", value) }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw .wrongType(file: file, key: name(key), expected: "true or false") }
        return flag
    }

    func strings(_ key: String) throws(ConfigError) -> [String]? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw .wrongType(file: file, key: name(key), expected: "an array of strings") }
        var result: [String] = []
        for element in array {
            guard let text = element.string else { throw .wrongType(file: file, key: name(key), expected: "an array of strings") }
            result.append(text)
        }
        return result
    }

    func table(_ key: String) throws(ConfigError) -> TableReader? {
        read.insert(key)
        guard let value = table[key] else { return nil }
        guard let sub = value.table else { throw .wrongType(file: file, key: name(key), expected: "a table ([\(name(key))])") }
        return TableReader(sub, path: name(key), file: file, directory: directory)
    }

    func tables(_ key: String) throws(ConfigError) -> [TableReader] {
        read.insert(key)
        guard let value = table[key] else { return [] }
        guard let array = value.array else { throw .wrongType(file: file, key: name(key), expected: "an array of tables ([[\(name(key))]])") }
        var result: [TableReader] = []
        for (index, element) in array.enumerated() {
            guard let sub = element.table else { throw .wrongType(file: file, key: "\(name(key))[\(index)]", expected: "a table") }
            result.append(TableReader(sub, path: "\(name(key))[\(index)]", file: file, directory: directory))
        }
        return result
    }

    /// Fails on the first key of this table that no accessor asked for.
    func rejectUnknownKeys() throws(ConfigError) {
        if let stray = table.keys.sorted().first(where: { !read.contains($0) }) {
            throw .unknownKey(file: file, key: name(stray))
        }
    }
}
