import ArgumentParser
import Foundation
import SyncCore
import WPTSyncDemo
import WPTSyncKit

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a small world in a temporary folder and show the sync at work, step by step.",
        discussion: "Needs only hg and git: no server, nothing from the network. Exits non-zero if a step did not happen.")

    @Option(help: "Build the world here instead of a new temporary folder.") var folder: String?
    @Flag(help: "Keep the folder afterwards for inspection.") var keep = false
    @Option(help: "Gecko's repositories: hg, or git (then landing goes through a local Lando).") var gecko: GeckoKind = .hg

    func run() throws {
        let executable = CommandLine.executablePath
        guard let share = HookInstaller.findShare(from: executable) else {
            throw ValidationError("cannot find wptsync's hooks/ folder near \(executable)")
        }
        let hookBinary = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("wptsync-hook").path
        let target = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("wptsync-demo-\(getpid())").path
        let demo = WPTSyncDemo.Demo(folder: target, hookBinary: hookBinary, share: share, gecko: gecko)
        defer {
            if keep || folder != nil {
                print("Kept \(target); look around with `wptsync events`, `list` or `landings` --config \(target)/wptsync.toml")
            } else { try? FileManager.default.removeItem(atPath: target) }
        }
        do { try demo.run() } catch {
            print("demo failed: \(error)")
            throw ExitCode(1)
        }
        print("demo ok")
    }
}

extension GeckoKind: ExpressibleByArgument {}
