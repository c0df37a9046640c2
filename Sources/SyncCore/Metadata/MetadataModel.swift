// The value tree of a wptmanifest file (Gecko's `testing/web-platform/meta/**.ini`): keys and sections,
// each remembering the exact text it was parsed from so that an unchanged file renders to the same bytes
// and an edited entry is the only part rendered again (see MetadataWriter).

/// A wptmanifest atom: `@True`, `@False` or `@Reset`.
public enum MetadataAtom: String, Sendable, Hashable, CaseIterable {
    case `true` = "True", `false` = "False", reset = "Reset"
}

/// One plain item: a string (quoted or not in the source) or an atom.
public enum MetadataScalar: Sendable, Hashable {
    case string(String)
    case atom(MetadataAtom)

    /// The item as wptrunner reads it: the string, or the atom's name with its `@`.
    public var text: String {
        switch self {
        case .string(let text): text
        case .atom(let atom): "@" + atom.rawValue
        }
    }
}

/// A key's value in one branch: a single item or a list (`[PASS, FAIL]`).
public enum MetadataValue: Sendable, Hashable {
    case scalar(MetadataScalar)
    case list([MetadataScalar])

    /// A single string value.
    public static func string(_ text: String) -> MetadataValue { .scalar(.string(text)) }
    /// A list of string items.
    public static func strings(_ items: [String]) -> MetadataValue { .list(items.map { .string($0) }) }

    /// The items: one for a scalar, each element for a list.
    public var items: [String] {
        switch self {
        case .scalar(let scalar): [scalar.text]
        case .list(let items): items.map(\.text)
        }
    }
}

/// One line of a key's value: `if <condition>: <value>`, or the value alone (the default, or the
/// only value of `key: value`).
public struct MetadataBranch: Sendable, Hashable {
    /// Nil for the default (and for an unconditional `key: value`).
    public var condition: MetadataExpression?
    public var value: MetadataValue
    /// Full-line comments just before this branch inside a conditional block, each starting with `#`.
    public var comments: [String]
    /// A trailing comment on the branch's line, starting with `#`.
    public var comment: String?

    public init(condition: MetadataExpression? = nil, value: MetadataValue, comments: [String] = [], comment: String? = nil) {
        self.condition = condition
        self.value = value
        self.comments = comments
        self.comment = comment
    }
}

/// `name: value`, or `name:` followed by an indented block of conditional branches.
public struct MetadataKey: Sendable, Hashable {
    public var name: String
    /// In order; the first branch whose condition holds gives the value.
    public var branches: [MetadataBranch]
    /// A trailing comment on the `name:` line of a conditional block, starting with `#`.
    public var comment: String?
    /// Blank and comment lines before the key, exactly as in the source.
    public var leadingTrivia: String = ""
    var original: Original?

    struct Fields: Hashable { var name: String; var branches: [MetadataBranch]; var comment: String? }
    struct Original: Hashable, Sendable { var fields: Fields; var text: String }
    var fields: Fields { Fields(name: name, branches: branches, comment: comment) }

    public init(name: String, branches: [MetadataBranch], comment: String? = nil) {
        self.name = name
        self.branches = branches
        self.comment = comment
    }

    /// `name: value`, without conditions.
    public init(name: String, value: MetadataValue) {
        self.init(name: name, branches: [MetadataBranch(value: value)])
    }

    /// The value for a configuration: that of the first branch whose condition holds (a branch without a
    /// condition always holds), or nil when none does.
    public func value(for runInfo: RunInfo) -> MetadataValue? {
        branches.first { $0.condition?.holds(for: runInfo) ?? true }?.value
    }
}

/// `[name]` and the indented keys and sections under it (a test, or a subtest of a test).
public struct MetadataSection: Sendable, Hashable, MetadataContainer {
    /// The unescaped name: a test's file name with its query (`test.any.html?wss`), or a subtest's name.
    public var name: String
    /// A trailing comment on the `[name]` line, starting with `#`.
    public var comment: String?
    public var entries: MetadataEntries
    /// Blank and comment lines before the heading, exactly as in the source.
    public var leadingTrivia: String = ""
    var original: Original?

    struct Fields: Hashable { var name: String; var comment: String? }
    struct Original: Hashable, Sendable { var fields: Fields; var text: String }
    var fields: Fields { Fields(name: name, comment: comment) }

    public init(name: String, comment: String? = nil, items: [MetadataItem] = []) {
        self.name = name
        self.comment = comment
        entries = MetadataEntries(items)
    }
}

/// What a file or a section holds, in source order.
public enum MetadataItem: Sendable, Hashable {
    case key(MetadataKey)
    case section(MetadataSection)
}

/// A parsed wptmanifest file: top-level keys (as in `__dir__.ini`) and sections.
public struct MetadataFile: Sendable, Hashable, MetadataContainer {
    public var entries: MetadataEntries
    /// Blank and comment lines after the last entry, exactly as in the source.
    public var trailingTrivia: String

    public init(items: [MetadataItem] = [], trailingTrivia: String = "") {
        entries = MetadataEntries(items)
        self.trailingTrivia = trailingTrivia
    }
}
