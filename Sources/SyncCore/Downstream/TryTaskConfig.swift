import Foundation

/// The `try_task_config.json` (version 2) of a downstream try push: artifact builds, only the
/// affected tests, the web-platform-tests tasks. The same values always give the same bytes, so
/// one PR head always gives one try commit.
public struct TryTaskConfig: Sendable, Equatable {
    /// Test files or folders relative to the wpt root; `""` is the whole suite.
    public var testPaths: [String]
    /// Task labels, as `taskLabels(from:)` selects them.
    public var tasks: [String]
    /// Each selected task runs this many times (2–20); nil runs each once.
    public var rebuild: Int?

    public static let fileName = "try_task_config.json"
    public static let rebuildRange = 2...20

    public init(testPaths: [String], tasks: [String], rebuild: Int? = nil) throws(DownstreamError) {
        if let rebuild, !Self.rebuildRange.contains(rebuild) { throw .rebuildOutOfRange(rebuild) }
        self.testPaths = testPaths; self.tasks = tasks; self.rebuild = rebuild
    }

    /// The web-platform-tests task labels among `labels`, sorted, without macOS, shippable, ASan
    /// and TSan tasks (what the production service selects). Label parts are split at `-` and
    /// `/`, so `mac` inside another word excludes nothing.
    public static func taskLabels(from labels: [String]) -> [String] {
        Set(labels).filter { label in
            let parts = label.split { $0 == "-" || $0 == "/" }
            return label.contains("web-platform-tests") && !parts.contains { part in
                part.hasPrefix("macosx") || part == "mac" || part == "shippable" || part == "asan" || part == "tsan"
            }
        }.sorted()
    }

    /// `testPaths` as Gecko paths: `<wpt>/<path>`, `<wpt>` alone for the whole suite.
    public func geckoTestPaths(wpt: String) -> [String] {
        var root = wpt
        while root.hasSuffix("/") { root.removeLast() }
        return Set(testPaths.map { $0.isEmpty ? root : root + "/" + $0 }).sorted()
    }

    /// The file's bytes: keys sorted, `MOZHARNESS_TEST_PATHS` a JSON string of
    /// `{"web-platform-tests": [paths]}`, a final line break.
    public func json(wpt: String = PathPrefixes().wpt) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let paths = (try? encoder.encode(["web-platform-tests": geckoTestPaths(wpt: wpt)])) ?? Data()
        let file = File(parameters: .init(tryTaskConfig: .init(
            env: ["MOZHARNESS_TEST_PATHS": String(decoding: paths, as: UTF8.self)],
            rebuild: rebuild, tasks: tasks, useArtifactBuilds: true)))
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let data = (try? encoder.encode(file)) ?? Data()
        return Array(data) + [0x0A]
    }

    private struct File: Encodable {
        var version = 2
        var parameters: Parameters
    }

    private struct Parameters: Encodable {
        var tryTaskConfig: Config
        enum CodingKeys: String, CodingKey { case tryTaskConfig = "try_task_config" }
    }

    private struct Config: Encodable {
        var env: [String: String]
        var rebuild: Int?
        var tasks: [String]
        var useArtifactBuilds: Bool
        enum CodingKeys: String, CodingKey {
            case env, rebuild, tasks
            case useArtifactBuilds = "use-artifact-builds"
        }
    }
}
