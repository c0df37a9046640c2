import ArgumentParser
import Foundation
import WPTSyncKit

struct InstallHooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hooks",
        abstract: "Add wptsync's hook to Mercurial or git repositories, leaving their other hooks alone.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The wptsync project folder holding hooks/ and vcs-config/ (default: found from this executable).")
    var share: String?
    @Option(help: "The folder the hooks run from: wptsync-hook and the hook scripts are copied there (default: wptsync-hooks beside the configuration file); it and its parents must not be writable by group or others.")
    var hookDir: String?
    @Argument(help: "Repository folders.") var repositories: [String]

    func run() throws {
        let (config, configFile) = try options.load()
        let executable = CommandLine.executablePath
        guard let share = share ?? HookInstaller.findShare(from: executable) else {
            throw ValidationError("cannot find wptsync's hooks/ folder near \(executable); pass --share")
        }
        let hookBinary = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("wptsync-hook").path
        let installer = try HookInstaller(share: share, hookBinary: hookBinary, config: configFile, spool: config.store.spool,
                                          hookDirectory: hookDir ?? HookInstaller.defaultHookDirectory(config: configFile))
        for copied in try installer.installFiles() { print(copied) }
        var failed = false
        for repository in repositories {
            do { print(try installer.install(repository: repository)) } catch {
                print("\(repository): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension CommandLine {
    /// The running executable's path.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
    }
}
