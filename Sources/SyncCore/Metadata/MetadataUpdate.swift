// Updating expectations from results, as wptrunner's metadata update does: an `expected` entry only
// where a status differs from the default (OK for a testharness test, PASS for a subtest and a
// reftest), conditions on the run_info properties that separate configurations, the value of most
// conditions as the default (so the fewest are written), several statuses in one configuration as an
// intermittent list (most frequent first). Everything else in the file is kept as it was.

/// What an update does to a metadata file.
public enum MetadataFileChange: Sendable, Equatable {
    case write(MetadataFile)
    /// The file holds nothing any more.
    case delete
}

/// The update rules, with the run_info properties conditions may use, simplest first.
public struct MetadataUpdater: Sendable {
    public static let defaultProperties = ["debug", "os", "version", "processor", "bits"]

    public var properties: [String]
    /// What several statuses in one configuration (a stability run's repeated runs) become.
    public var unstable: UnstableResults

    public init(properties: [String] = MetadataUpdater.defaultProperties, unstable: UnstableResults = .intermittent) {
        self.properties = properties
        self.unstable = unstable
    }

    /// `file` (an empty file when there is none yet) with the expectations of the tests in `runs`
    /// recomputed: `runs` maps a test's section name (its file name and variant, as `MetadataLocation`
    /// gives it) to all its runs. Tests not in `runs`, other keys and comments are kept as they were.
    public func update(_ file: MetadataFile, runs: [String: [WptRun]]) -> MetadataFileChange {
        updateReporting(file, runs: runs).change
    }

    /// `update`, and what it disabled and the crashes it accepted, named by section (`subtest` nil for
    /// the test itself).
    public func updateReporting(_ file: MetadataFile, runs: [String: [WptRun]]) -> (change: MetadataFileChange, report: MetadataUpdateReport) {
        var file = file
        var report = MetadataUpdateReport()
        for name in runs.keys.sorted() {
            guard let testRuns = runs[name], !testRuns.isEmpty else { continue }
            let existing = file[section: name]
            var section = existing ?? MetadataSection(name: name)
            // Only a reftest (or a wdspec test) reports PASS or FAIL for the whole test.
            let reftest = testRuns.contains { $0.status == "PASS" || $0.status == "FAIL" }
            // Each run's configuration is found once per test, not once per subtest.
            let (empty, ofRun) = configurations(of: testRuns.map(\.runInfo))
            func observed(_ statuses: [(run: Int, status: String)]) -> [Configuration] {
                var configurations = empty
                for (run, status) in statuses { configurations[ofRun[run]].add(status) }
                return configurations.filter { !$0.statuses.isEmpty }
            }
            let testStatuses = testRuns.indices.map { (run: $0, status: testRuns[$0].status) }
            let testDefault = reftest ? "PASS" : "OK"
            if !Self.keeps(existing, testStatuses, default: testDefault) {
                update(&section, MetadataTestName(test: name), observed(testStatuses), default: testDefault, report: &report)
            }
            let (subtestNames, observations) = Self.subtestStatuses(testRuns)
            for (subtestName, statuses) in zip(subtestNames, observations) {
                let existingSubtest = section[section: subtestName]
                if Self.keeps(existingSubtest, statuses, default: "PASS") { continue }
                var subtest = existingSubtest ?? MetadataSection(name: subtestName)
                update(&subtest, MetadataTestName(test: name, subtest: subtestName), observed(statuses), default: "PASS", report: &report)
                section[section: subtestName] = subtest.isEmpty ? nil : subtest
            }
            file[section: name] = section.isEmpty ? nil : section
        }
        return (file.isEmpty ? .delete : .write(file), report)
    }

    /// Whether an update would leave `section` as it is, seen without computing it (most subtests): every
    /// run gave the default and there is no expectation to remove (nor an empty section, which goes).
    static func keeps(_ section: MetadataSection?, _ statuses: [(run: Int, status: String)], default testDefault: String) -> Bool {
        guard statuses.allSatisfy({ $0.status == testDefault }) else { return false }
        guard let section else { return true }
        return !section.isEmpty && section[key: "expected"] == nil
    }

    /// The subtests of `runs` in order of first appearance, and each one's statuses by run. Runs usually
    /// list the same subtests in the same order: a subtest is looked up by name only when not at its place.
    static func subtestStatuses(_ runs: [WptRun]) -> (names: [String], statuses: [[(run: Int, status: String)]]) {
        var names: [String] = []
        var statuses: [[(run: Int, status: String)]] = []
        var slots: [String: Int] = [:]
        for (index, run) in runs.enumerated() {
            for (position, subtest) in run.subtests.enumerated() {
                let slot: Int
                if position < names.count, names[position] == subtest.name {
                    slot = position
                } else if let known = slots[subtest.name] {
                    slot = known
                } else {
                    slot = names.count
                    slots[subtest.name] = slot
                    names.append(subtest.name)
                    statuses.append([])
                }
                statuses[slot].append((index, subtest.status))
            }
        }
        return (names, statuses)
    }

    /// Updates the `expected` (and, when disabling unstable results, `disabled`) key of one test or
    /// subtest section from the statuses of its runs, by configuration.
    func update(_ section: inout MetadataSection, _ name: MetadataTestName, _ configurations: [Configuration],
                default testDefault: String, report: inout MetadataUpdateReport) {
        var configurations = configurations
        if case .disable(let reason) = unstable, configurations.contains(where: \.isUnstable) {
            if let disabled = disabling(section[key: "disabled"], configurations, reason: reason) {
                section[key: "disabled"] = disabled.key
                report.disabled.append(MetadataDisabled(name: name, conditions: disabled.conditions, statuses: disabled.statuses))
            }
            configurations.removeAll(where: \.isUnstable)
            // Every configuration run was unstable: nothing is known of its expectation.
            if configurations.isEmpty { return }
        }
        let old = section[key: "expected"]
        let new = expectation(old, configurations, default: testDefault)
        section[key: "expected"] = new
        let crashes = (new?.branches ?? []).filter { branch in
            branch.value.items.contains("CRASH") && !(old?.branches ?? []).contains { $0.condition == branch.condition && $0.value == branch.value }
        }
        if !crashes.isEmpty { report.acceptedCrashes.append(name) }
    }

    /// The configurations of `runInfos` (their values of `properties`) in order of first run, without
    /// statuses, and the configuration of each run.
    func configurations(of runInfos: [RunInfo]) -> (configurations: [Configuration], ofRun: [Int]) {
        var configurations: [Configuration] = []
        var indexes: [[RunInfoValue?]: Int] = [:]
        let ofRun = runInfos.map { runInfo in
            let key = properties.map { runInfo[$0] }
            if let index = indexes[key] { return index }
            configurations.append(Configuration(runInfo: runInfo, key: key))
            indexes[key] = configurations.count - 1
            return configurations.count - 1
        }
        return (configurations, ofRun)
    }

    /// The new `expected` key for `configurations`, or nil when every configuration gives the default
    /// and no condition of `old` is about configurations that were not run. `old` keeps its bytes when
    /// nothing changed, its comments on branches whose condition is unchanged, and its list order where
    /// the set of statuses of a configuration did not change.
    func expectation(_ old: MetadataKey?, _ configurations: [Configuration], default testDefault: String) -> MetadataKey? {
        var configurations = configurations
        for index in configurations.indices {
            configurations[index].value = Self.value(configurations[index].statuses, previous: old?.value(for: configurations[index].runInfo))
        }
        // Conditions that hold for none of the configurations run are about the others (a platform
        // the try push did not run): they stay, first, so that they still decide for those.
        var branches = (old?.branches ?? []).filter { branch in
            guard let condition = branch.condition else { return false }
            return !configurations.contains { condition.holds(for: $0.runInfo) }
        }
        let groups = leaves(configurations, path: [])
        let previousDefault = old?.branches.last { $0.condition == nil }?.value
        let defaultValue = Self.mostCommon(groups.map(\.value), preferring: [.string(testDefault)] + (previousDefault.map { [$0] } ?? []))
            ?? .string(testDefault)
        branches += groups.filter { $0.value != defaultValue }.map {
            MetadataBranch(condition: conjunction($0.path), value: $0.value)
        }
        if defaultValue != .string(testDefault) { branches.append(MetadataBranch(value: defaultValue)) }
        guard !branches.isEmpty else { return nil }
        for index in branches.indices {
            guard let previous = old?.branches.first(where: { $0.condition == branches[index].condition }) else { continue }
            branches[index].comments = previous.comments
            branches[index].comment = previous.comment
        }
        if let old, old.branches == branches { return old }
        return MetadataKey(name: "expected", branches: branches, comment: old?.comment)
    }

    struct Configuration {
        let runInfo: RunInfo
        let key: [RunInfoValue?]
        var statuses: [(status: String, count: Int)] = []
        var value: MetadataValue = .string("")

        /// Several statuses across the runs of one configuration.
        var isUnstable: Bool { statuses.count > 1 }

        mutating func add(_ status: String) {
            if let index = statuses.firstIndex(where: { $0.status == status }) { statuses[index].count += 1 } else { statuses.append((status, 1)) }
        }
    }

    /// One status, or an intermittent list most frequent first (the previous order when the set is the same).
    static func value(_ statuses: [(status: String, count: Int)], previous: MetadataValue?) -> MetadataValue {
        guard statuses.count > 1 else { return .string(statuses.first?.status ?? "") }
        let ordered = statuses.enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element.status)
        if let previous, case .list = previous, Set(previous.items) == Set(ordered), previous.items.count == ordered.count {
            return previous
        }
        return .strings(ordered)
    }

    /// The most frequent of `values`; among equals the first of `preferred` that is one, else the first seen.
    static func mostCommon(_ values: [MetadataValue], preferring preferred: [MetadataValue]) -> MetadataValue? {
        var counts: [MetadataValue: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        guard let top = counts.values.max() else { return nil }
        return preferred.first { counts[$0] == top } ?? values.first { counts[$0] == top }
    }

    /// Splits configurations on the property that best separates their values (the fewest values left
    /// mixed in its groups, then the configured order) until each group has one value.
    func leaves(_ group: [Configuration], path: [(String, RunInfoValue)]) -> [(path: [(String, RunInfoValue)], value: MetadataValue)] {
        guard group.contains(where: { $0.value != group[0].value }) else { return [(path, group[0].value)] }
        var best: (score: Int, index: Int, parts: [(RunInfoValue, [Configuration])])?
        for (index, property) in properties.enumerated() where !path.contains(where: { $0.0 == property }) {
            guard group.allSatisfy({ $0.key[index] != nil }) else { continue }
            var parts: [(RunInfoValue, [Configuration])] = []
            for configuration in group {
                let value = configuration.key[index]!
                if let at = parts.firstIndex(where: { $0.0 == value }) { parts[at].1.append(configuration) } else { parts.append((value, [configuration])) }
            }
            guard parts.count > 1 else { continue }
            let score = parts.reduce(0) { $0 + Self.distinct($1.1.map(\.value)) - 1 }
            if best == nil || score < best!.score { best = (score, index, parts) }
        }
        guard let best else {
            var merged = Configuration(runInfo: group[0].runInfo, key: group[0].key)
            for configuration in group { for entry in configuration.statuses { for _ in 0..<entry.count { merged.add(entry.status) } } }
            return [(path, Self.value(merged.statuses, previous: nil))]
        }
        return best.parts.flatMap { leaves($0.1, path: path + [(properties[best.index], $0.0)]) }
    }

    /// How many different values `values` holds (a few: compared, not hashed).
    static func distinct(_ values: [MetadataValue]) -> Int {
        values.indices.count { index in !values[..<index].contains(values[index]) }
    }

    /// `a and b and …` over the path's comparisons, in the configured property order.
    func conjunction(_ path: [(String, RunInfoValue)]) -> MetadataExpression? {
        let ordered = path.sorted { properties.firstIndex(of: $0.0)! < properties.firstIndex(of: $1.0)! }
        return ordered.reversed().reduce(nil) { rest, step in
            let condition = MetadataExpression.equals(step.0, step.1)
            return rest.map { .binary(.and, condition, $0) } ?? condition
        }
    }
}
