/// A property of a test run (`os`, `debug`, `bits`, …) as wptreport.json's `run_info` gives it.
public enum RunInfoValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let bool): try container.encode(bool)
        }
    }

    /// The value as a condition writes it (`linux`, `true`, `64`).
    public var description: String {
        switch self {
        case .string(let text): text
        case .number(let number): MetadataExpression.numberText(number)
        case .bool(let bool): String(bool)
        }
    }

    /// Python's truth value, which wptrunner uses: false, 0 and "" are false.
    var isTrue: Bool {
        switch self {
        case .bool(let bool): bool
        case .number(let number): number != 0
        case .string(let text): !text.isEmpty
        }
    }

    /// Python's `==` between these types: a bool is the number 0 or 1; a string equals only a string.
    func equals(_ other: RunInfoValue) -> Bool {
        switch (self, other) {
        case let (.string(a), .string(b)): a == b
        case (.string, _), (_, .string): false
        default: numeric == other.numeric
        }
    }

    private var numeric: Double {
        switch self {
        case .bool(let bool): bool ? 1 : 0
        case .number(let number): number
        case .string: .nan
        }
    }
}

/// The properties of one test configuration, by name.
public typealias RunInfo = [String: RunInfoValue]

/// A binary operator of a condition, with wptrunner's precedence (`==` binds tightest, then `!=`,
/// `not`, `and`, `or`); operators of equal precedence group to the right, as in wptrunner.
public enum MetadataOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", and, or

    var precedence: Int {
        switch self {
        case .equal: 5
        case .notEqual: 4
        case .and: 2
        case .or: 1
        }
    }

    /// The precedence of `not`, between the comparisons and `and`.
    static let notPrecedence = 3
}

/// A condition of an `if <condition>: value` line, evaluated against a run_info dictionary.
public indirect enum MetadataExpression: Sendable, Hashable {
    /// A run_info property (`os`, `debug`). wptrunner has no boolean literal: `True` is a property too.
    case variable(String)
    case string(String)
    /// A number literal, as written (`10`, `10.15`).
    case number(String)
    case not(MetadataExpression)
    case binary(MetadataOperator, MetadataExpression, MetadataExpression)

    /// `property == "value"` (the comparison updates write).
    public static func equals(_ property: String, _ value: RunInfoValue) -> MetadataExpression {
        switch value {
        case .bool(let bool): bool ? .variable(property) : .not(.variable(property))
        case .number(let number): .binary(.equal, .variable(property), .number(Self.numberText(number)))
        case .string(let text): .binary(.equal, .variable(property), .string(text))
        }
    }

    /// Whether the condition holds. As in wptrunner, a condition naming a property the run does not
    /// have never holds (not even under `not`).
    public func holds(for runInfo: RunInfo) -> Bool {
        evaluate(runInfo)?.isTrue ?? false
    }

    func evaluate(_ runInfo: RunInfo) -> RunInfoValue? {
        switch self {
        case .variable(let name): return runInfo[name]
        case .string(let text): return .string(text)
        case .number(let text): return Double(text).map(RunInfoValue.number)
        case .not(let operand): return operand.evaluate(runInfo).map { .bool(!$0.isTrue) }
        case let .binary(op, left, right):
            guard let a = left.evaluate(runInfo), let b = right.evaluate(runInfo) else { return nil }
            switch op {
            case .equal: return .bool(a.equals(b))
            case .notEqual: return .bool(!a.equals(b))
            case .and: return .bool(a.isTrue && b.isTrue)
            case .or: return .bool(a.isTrue || b.isTrue)
            }
        }
    }

    /// The properties the condition reads.
    public var variables: Set<String> {
        switch self {
        case .variable(let name): [name]
        case .string, .number: []
        case .not(let operand): operand.variables
        case let .binary(_, left, right): left.variables.union(right.variables)
        }
    }

    static func numberText(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
