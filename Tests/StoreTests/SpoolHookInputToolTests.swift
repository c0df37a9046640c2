import Foundation
import RepoOps
import Testing
import TestSupport

/// `hooks/spool-hook-input` on a machine that lacks one of the tools it needs: it saves nothing rather
/// than a record without a checksum or without the lock a drain takes, and names the replay.
@Suite("spool-hook-input without its tools")
struct SpoolHookInputToolTests {
    static let tools = ["od", "tr", "wc", "gzip", "tail", "flock", "sync", "truncate", "date", "mkdir", "dirname", "cat"]

    /// A folder of links to every tool the script uses but `missing`, for its PATH.
    func path(without missing: String, in dir: TempDir) throws -> String {
        let bin = dir.sub("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in Self.tools where tool != missing {
            let found = try #require(["/usr/bin", "/bin"].map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) })
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(tool)", withDestinationPath: found)
        }
        return bin
    }

    @Test(arguments: ["flock", "gzip"])
    func withoutAToolNothingIsSavedAndTheReplayIsNamed(missing: String) throws {
        let dir = TempDir("spool-tools")
        let spool = dir.sub("state/wptsync.spool")
        let node = String(repeating: "7", count: 40)
        let script = try ProcessRunner.run("/bin/sh", [projectRoot + "/hooks/spool-hook-input", "hg-changegroup", "127"], in: dir.path,
                                           extraEnvironment: ["PATH": try path(without: missing, in: dir), "WPTSYNC_SPOOL": spool,
                                                              "WPTSYNC_CONFIG": "/etc/wptsync.toml", "HG_NODE": node, "HG_SOURCE": "push"])
        #expect(script.status == 0)
        #expect(script.stderrString.contains("nor could its input be saved in \(spool) (`\(missing)` is not installed)"))
        #expect(script.stderrString.contains("wptsync replay --config /etc/wptsync.toml --repository NAME --revs \(node):\(node)"))
        #expect((try? Data(contentsOf: URL(fileURLWithPath: spool)))?.isEmpty ?? true)
    }
}
