import Foundation
import RepoOps

/// Runs the repository's `scripts/*.py` cross-checks: a real client from PyPI (PyGithub,
/// python-bugzilla) driving a local service, to check that it answers like the real one.
public enum PythonCrossCheck {
    /// Whether `python3` can import `module` (the test is skipped otherwise).
    public static func available(_ module: String) -> Bool {
        (try? ProcessRunner.run("python3", ["-c", "import \(module)"]).status) == 0
    }

    /// Runs `scripts/<script>` with `environment` added; returns its exit status and everything it printed.
    public static func run(_ script: String, environment: [String: String]) throws -> (status: Int32, output: String) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/\(script)").standardized.path
        let out = try ProcessRunner.run("python3", [path], extraEnvironment: environment, timeout: 120)
        return (out.status, out.stdoutString + out.stderrString)
    }
}
