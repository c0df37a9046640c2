// A pull request's metadata as a whole: its renamed and removed test files move or drop their metadata
// files, then its results update the files of the tests they name. Pure: the caller reads the files
// `paths` names and writes the changes.

/// What a pull request's results, renames and removals do to Gecko's metadata.
public struct MetadataOutcome: Sendable, Equatable {
    /// Each metadata file whose text changes, by repository path.
    public var changes: [String: MetadataFileChange] = [:]
    /// What a stability run disabled, by test id.
    public var disabled: [MetadataDisabled] = []
    /// Tests and subtests (by test id) now expected to CRASH somewhere, which the bug must say.
    public var acceptedCrashes: [MetadataTestName] = []
    /// Test ids in the results that are not test ids (left out).
    public var invalidTests: [String] = []
}

/// Computes a pull request's metadata with `updater`'s rules.
public struct MetadataPlan: Sendable {
    public var updater: MetadataUpdater

    public init(updater: MetadataUpdater = MetadataUpdater()) {
        self.updater = updater
    }

    /// The metadata files `apply` reads: those of the tests in the results and of the renamed and
    /// removed source files (paths relative to the wpt root).
    public static func paths(testIDs: some Sequence<String>, renames: [String: String] = [:], removed: Set<String> = []) -> [String] {
        var paths = Set(testIDs.compactMap { MetadataLocation(testID: $0)?.path })
        for source in Array(renames.keys) + Array(renames.values) + Array(removed) { paths.insert(metadataPath(ofSource: source)) }
        return paths.sorted()
    }

    /// `files` (the current metadata, by repository path; a missing path is a file that does not exist)
    /// after the renames and removals, then the results (each test id's runs).
    public func apply(files: [String: MetadataFile], results: [String: [WptRun]],
                      renames: [String: String] = [:], removed: Set<String> = []) -> MetadataOutcome {
        var current: [String: MetadataFile] = files
        for source in removed.sorted() { current[Self.metadataPath(ofSource: source)] = nil }
        for (old, new) in renames.sorted(by: { $0.key < $1.key }) {
            guard let moved = current.removeValue(forKey: Self.metadataPath(ofSource: old)) else { continue }
            current[Self.metadataPath(ofSource: new)] = Self.moving(moved, from: old, to: new, into: current[Self.metadataPath(ofSource: new)])
        }
        var outcome = MetadataOutcome()
        // Each result keeps its test id, for the report's names.
        let (grouped, invalid) = MetadataLocation.group(Dictionary(uniqueKeysWithValues: results.map { ($0.key, $0) }))
        outcome.invalidTests = invalid
        for path in grouped.keys.sorted() {
            let tests = grouped[path]!
            let (change, report) = updater.updateReporting(current[path] ?? MetadataFile(), runs: tests.mapValues(\.value))
            if case .write(let file) = change { current[path] = file } else { current[path] = nil }
            let testID = { (name: MetadataTestName) in MetadataTestName(test: tests[name.test]?.key ?? name.test, subtest: name.subtest) }
            outcome.disabled += report.disabled.map { MetadataDisabled(name: testID($0.name), conditions: $0.conditions, statuses: $0.statuses) }
            outcome.acceptedCrashes += report.acceptedCrashes.map(testID)
        }
        for path in Set(files.keys).union(current.keys) {
            switch (files[path], current[path].flatMap { $0.isEmpty ? nil : $0 }) {
            case (_?, nil): outcome.changes[path] = .delete
            case (nil, let new?): outcome.changes[path] = .write(new)
            case (let old?, let new?) where old != new && old.text != new.text: outcome.changes[path] = .write(new)
            default: break
            }
        }
        return outcome
    }

    /// A source file's metadata file: `css/a.html` is `testing/web-platform/meta/css/a.html.ini`.
    static func metadataPath(ofSource source: String) -> String {
        MetadataLocation.upstreamRoot + "/" + source + ".ini"
    }

    /// `file`, the metadata of source `old`, with its test sections renamed for source `new`; a
    /// section whose test `new` cannot have (the kind of file changed) is dropped. Sections already in
    /// `destination` are kept as they are there.
    static func moving(_ file: MetadataFile, from old: String, to new: String, into destination: MetadataFile?) -> MetadataFile {
        var result = destination ?? MetadataFile(trailingTrivia: file.trailingTrivia)
        for item in file.entries {
            switch item {
            case .key(let key):
                if result[key: key.name] == nil { result[key: key.name] = key }
            case .section(var section):
                guard let name = MetadataLocation.renamedSection(section.name, from: old, to: new), result[section: name] == nil else { continue }
                section.name = name
                result[section: name] = section
            }
        }
        return result
    }
}

extension MetadataLocation {
    /// The section of test `section` of source `old` once the source is renamed `new`: `a.any.worker.html?x`
    /// of `d/a.any.js` is `b.any.worker.html?x` of `d/b.any.js`; nil when `new` cannot give such a test.
    static func renamedSection(_ section: String, from old: String, to new: String) -> String? {
        let oldDirectory = old.split(separator: "/", omittingEmptySubsequences: false).dropLast().map { $0 + "/" }.joined()
        let newDirectory = new.split(separator: "/", omittingEmptySubsequences: false).dropLast().map { $0 + "/" }.joined()
        guard sourcePath(forTest: "/" + oldDirectory + section) == old else { return nil }
        let oldStem = stem(old.dropFirst(oldDirectory.count)), newStem = stem(new.dropFirst(newDirectory.count))
        guard oldStem.kind == newStem.kind, section.hasPrefix(oldStem.stem) else { return nil }
        let renamed = String(newStem.stem + section.dropFirst(oldStem.stem.count))
        return sourcePath(forTest: "/" + newDirectory + renamed) == new ? renamed : nil
    }

    /// A source file name without the suffix that makes it a script test (`.any.js`, `.worker.js`,
    /// `.window.js`), and that suffix (empty for a page).
    private static func stem(_ name: Substring) -> (stem: Substring, kind: String) {
        for kind in [".any.js", ".worker.js", ".window.js"] where name.hasSuffix(kind) && name.count > kind.count {
            return (name.dropLast(kind.count), kind)
        }
        return (name, "")
    }
}

extension MetadataOutcome {
    /// The bug comment saying what the metadata disabled and which tests it now expects to CRASH, so
    /// neither goes unseen; nil when there is neither.
    public func bugComment(pullRequest: Int) -> String? {
        var text = ""
        if !disabled.isEmpty {
            text += "The stability run of wpt PR \(pullRequest) found unstable results; these are disabled in its metadata:\n"
            for entry in disabled.sorted(by: { $0.name < $1.name }) {
                text += "- \(entry.name): disabled where \(entry.conditions.joined(separator: " or ")) (statuses seen: \(entry.statuses.joined(separator: ", ")))\n"
            }
        }
        if !acceptedCrashes.isEmpty {
            text += (text.isEmpty ? "" : "\n") + "The metadata of wpt PR \(pullRequest) now expects these to CRASH:\n"
            text += acceptedCrashes.sorted().map { "- \($0)\n" }.joined()
        }
        return text.isEmpty ? nil : text
    }
}
