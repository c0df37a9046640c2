import Foundation
import Testing
import TestSupport

/// `check-config` warns about what works today but would strand or lose pushes.
@Suite("check-config warnings", .serialized)
struct CheckConfigWarningTests {
    @Test func theSpoolOnTheJournalsFilesystemIsWarnedAbout() throws {
        let world = try SyncWorld()
        #expect(try world.wptsync(["check-config"]).contains("warning: the spool \(world.dir.sub("state/wptsync.spool")) is on the same filesystem as the journal"))
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs for the spool needs root"))
    func aSpoolOnAnotherFilesystemWithHooksInstalledForItWarnsOfNothing() throws {
        let world = try SyncWorld()
        let mount = world.dir.sub("spool-disk")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try sh("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount])
        defer { _ = try? sh("umount", [mount]); withExtendedLifetime(world) {} }
        try writeFile(world.config, try String(contentsOfFile: world.config, encoding: .utf8)
            .replacingOccurrences(of: world.dir.sub("state/wptsync.spool"), with: mount + "/wptsync.spool"))
        try world.wptsync(["install-hooks", world.autoland, world.central, world.mirror])
        #expect(!(try world.wptsync(["check-config"]).contains("warning")))
    }

    @Test func hooksInstalledForAnotherSpoolOrWithoutTheirExecutableAreWarnedAbout() throws {
        let world = try SyncWorld()
        let again = "; run `wptsync install-hooks` again"
        #expect(!(try world.wptsync(["check-config"]).contains(again)))

        let spool = world.dir.sub("state/wptsync.spool")
        let moved = world.dir.sub("spool/wptsync.spool")
        try writeFile(world.config, try String(contentsOfFile: world.config, encoding: .utf8).replacingOccurrences(of: spool, with: moved))
        let hook = world.dir.sub("wptsync-hooks/wptsync-hook")
        try FileManager.default.removeItem(atPath: hook)
        let hgrc = world.central + "/.hg/hgrc"
        try writeFile(hgrc, "[ui]\nusername = someone\n")
        let output = try world.wptsync(["check-config"])
        for file in [world.autoland + "/.hg/hgrc", world.mirror + "/hooks/post-receive"] {
            #expect(output.contains("warning: \(file) sets WPTSYNC_SPOOL=\(spool), but the configuration's is \(moved)\(again)"))
            #expect(output.contains("warning: \(file) runs \(hook), which is missing\(again)"))
        }
        #expect(output.contains("warning: the wptsync hook is not installed in \(hgrc)\(again)"))
        #expect(!output.contains("WPTSYNC_CONFIG"))

        let other = world.dir.sub("other.toml")
        try FileManager.default.copyItem(atPath: world.config, toPath: other)
        #expect(try sh(builtProduct("wptsync"), ["check-config", "--config", other])
            .contains("warning: \(world.autoland)/.hg/hgrc sets WPTSYNC_CONFIG=\(world.config), but the configuration's is \(other)\(again)"))

        try world.wptsync(["install-hooks", world.autoland, world.central, world.mirror])
        #expect(!(try world.wptsync(["check-config"]).contains(again)))
    }
}
