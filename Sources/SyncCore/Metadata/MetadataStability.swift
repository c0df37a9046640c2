// A stability run repeats each configuration's tests (`rebuild` times): a test or subtest giving
// several statuses in one configuration is unstable. It is either recorded as intermittent (a list,
// most frequent first, as any update does) or disabled under the condition of the configurations where
// it is unstable, with the bug's URL as the reason; that URL is how a later push recognises (and
// drops) what a stability run disabled.

/// What several statuses in one configuration become.
public enum UnstableResults: Sendable, Equatable {
    /// An intermittent list, `[A, B]`, most frequent first.
    case intermittent
    /// `disabled: <reason>` (the bug's URL) under the condition of the configurations where it is
    /// unstable; the stable configurations' expectations are updated as usual.
    case disable(reason: String)
}

/// A test (by section name, or by test id once placed) or one of its subtests.
public struct MetadataTestName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var test: String
    public var subtest: String?

    public init(test: String, subtest: String? = nil) {
        self.test = test
        self.subtest = subtest
    }

    public static func < (a: MetadataTestName, b: MetadataTestName) -> Bool {
        (a.test, a.subtest ?? "") < (b.test, b.subtest ?? "")
    }

    /// `test` or `test | subtest`.
    public var description: String { subtest.map { "\(test) | \($0)" } ?? test }
}

/// A test or subtest a stability run disabled.
public struct MetadataDisabled: Sendable, Hashable {
    public var name: MetadataTestName
    /// The conditions it was disabled under, as written.
    public var conditions: [String]
    /// The statuses its unstable configurations gave, most frequent first.
    public var statuses: [String]
}

/// What an update did that a person must hear of.
public struct MetadataUpdateReport: Sendable, Equatable {
    public var disabled: [MetadataDisabled] = []
    /// Tests and subtests whose expectations now accept CRASH where they did not before.
    public var acceptedCrashes: [MetadataTestName] = []

    public init(disabled: [MetadataDisabled] = [], acceptedCrashes: [MetadataTestName] = []) {
        self.disabled = disabled
        self.acceptedCrashes = acceptedCrashes
    }
}

extension MetadataUpdater {
    /// `old` (a `disabled` key, or nil) with a branch `if <condition>: reason` for the unstable
    /// configurations, placed before any default; nil when `old` already disables everywhere or already
    /// has these branches.
    func disabling(_ old: MetadataKey?, _ configurations: [Configuration], reason: String)
        -> (key: MetadataKey, conditions: [String], statuses: [String])? {
        guard !(old?.branches.contains { $0.condition == nil } ?? false) else { return nil }
        var labelled = configurations
        for index in labelled.indices { labelled[index].value = .string(labelled[index].isUnstable ? "unstable" : "stable") }
        var conditions: [MetadataExpression?] = []
        if labelled.allSatisfy(\.isUnstable) {
            // Nothing separates them from the configurations run: each is named by all its properties.
            conditions = labelled.map { configuration in
                conjunction(properties.enumerated().compactMap { index, property in configuration.key[index].map { (property, $0) } })
            }
        } else {
            conditions = leaves(labelled, path: []).filter { $0.value != .string("stable") }.map { conjunction($0.path) }
        }
        var branches = old?.branches ?? []
        var added: [String] = []
        for condition in conditions where !branches.contains(where: { $0.condition == condition && $0.value == .string(reason) }) {
            branches.append(MetadataBranch(condition: condition, value: .string(reason)))
            added.append(condition?.text ?? "everywhere")
        }
        guard !added.isEmpty else { return nil }
        var merged = Configuration(runInfo: [:], key: [])
        for configuration in configurations where configuration.isUnstable {
            for entry in configuration.statuses { for _ in 0..<entry.count { merged.add(entry.status) } }
        }
        let statuses = Self.value(merged.statuses, previous: nil).items
        return (MetadataKey(name: "disabled", branches: branches, comment: old?.comment), added, statuses)
    }

    /// `file` without the `disabled` branches whose value is `reason`, which a stability run added: a
    /// new push's stability run decides them again. A key left without branches, and a section left
    /// empty by that, are removed; everything else keeps its bytes.
    public static func strippingDisabled(_ file: MetadataFile, reason: String) -> MetadataFile {
        var file = file
        stripDisabled(&file, reason: reason)
        return file
    }

    private static func stripDisabled<Container: MetadataContainer>(_ container: inout Container, reason: String) {
        if var disabled = container[key: "disabled"] {
            let count = disabled.branches.count
            disabled.branches.removeAll { $0.value == .string(reason) }
            if disabled.branches.count != count { container[key: "disabled"] = disabled.branches.isEmpty ? nil : disabled }
        }
        for section in container.sections {
            var stripped = section
            stripDisabled(&stripped, reason: reason)
            if stripped != section { container[section: section.name] = stripped.isEmpty ? nil : stripped }
        }
    }
}
