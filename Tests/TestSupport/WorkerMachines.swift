#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RepoOps

/// Stand-ins for separate machines on this one: each is a network namespace (`ip netns`) joined by
/// a veth pair to a bridge the test makes, and a program run there gets a host name of its own (a
/// UTS namespace). The bridge's address, `serverAddress`, is where the test's servers listen for
/// them; the namespaces reach nothing else. Needs root and `ip`: `make` answers nil otherwise.
/// Everything is removed on release.
public final class WorkerMachines: @unchecked Sendable {
    /// The network namespaces, one per machine.
    public let namespaces: [String]
    /// The bridge's address, where the test's servers listen for the machines.
    public let serverAddress: String
    private let bridge: String

    private init(namespaces: [String], serverAddress: String, bridge: String) {
        self.namespaces = namespaces; self.serverAddress = serverAddress; self.bridge = bridge
    }

    /// `count` machines on a /24 of 198.18.0.0/15 (the range set aside for benchmarks, RFC 2544)
    /// chosen from this process's id (so that test runs side by side do not meet), or nil when
    /// namespaces cannot be made or used here (with why). What earlier runs that died left behind
    /// is removed first.
    public static func make(count: Int) -> (machines: WorkerMachines?, whyNot: String?) {
        guard geteuid() == 0 else { return (nil, "not root: network namespaces need root") }
        removeLeftovers()
        let pid = Int(getpid())
        let subnet = "198.\(18 + pid / 256 % 2).\(pid % 256)"
        let bridge = "wsb\(pid)"
        let made = WorkerMachines(namespaces: (1...count).map { "wptsync-\(pid)-\($0)" }, serverAddress: subnet + ".1", bridge: bridge)
        var steps: [[String]] = [["link", "add", bridge, "type", "bridge"], ["addr", "add", subnet + ".1/24", "dev", bridge],
                                 ["link", "set", bridge, "up"]]
        for (index, namespace) in made.namespaces.enumerated() {
            let outside = "wsv\(pid)n\(index)", inside = "wsp\(pid)n\(index)"
            let inNamespace = ["-n", namespace]
            steps += [["netns", "add", namespace], ["link", "add", outside, "type", "veth", "peer", "name", inside],
                      ["link", "set", inside, "netns", namespace], ["link", "set", outside, "master", bridge], ["link", "set", outside, "up"],
                      inNamespace + ["addr", "add", "\(subnet).\(index + 2)/24", "dev", inside], inNamespace + ["link", "set", inside, "up"],
                      inNamespace + ["link", "set", "lo", "up"]]
        }
        for step in steps {
            do { _ = try ProcessRunner.check("/usr/sbin/ip", step) } catch { return (nil, "ip \(step.joined(separator: " ")): \(error)") }
        }
        let (program, arguments) = made.command(on: 0, hostName: "probe", "/bin/true", [])
        guard (try? ProcessRunner.run(program, arguments))?.status == 0 else { return (nil, "a program cannot be run in a namespace of its own here") }
        return (made, nil)
    }

    /// Removes the namespaces and bridges of test processes that are gone.
    private static func removeLeftovers() {
        func dead(_ pid: Int32?) -> Bool { pid.map { kill($0, 0) != 0 && errno == ESRCH } ?? false }
        let namespaces = (try? ProcessRunner.run("/usr/sbin/ip", ["netns", "list"]))?.stdoutString ?? ""
        for name in namespaces.split(separator: "\n").compactMap({ $0.split(separator: " ").first.map(String.init) })
        where name.hasPrefix("wptsync-") && dead(Int32(name.split(separator: "-").dropFirst().first ?? "")) {
            _ = try? ProcessRunner.run("/usr/sbin/ip", ["netns", "del", name])
        }
        let links = (try? ProcessRunner.run("/usr/sbin/ip", ["-o", "link", "show", "type", "bridge"]))?.stdoutString ?? ""
        for name in links.split(separator: "\n").compactMap({ $0.split(separator: ":").dropFirst().first?.trimmingCharacters(in: .whitespaces) })
        where name.hasPrefix("wsb") && dead(Int32(name.dropFirst(3))) {
            _ = try? ProcessRunner.run("/usr/sbin/ip", ["link", "del", name])
        }
    }

    /// The program and arguments that run `executable arguments` on machine `index`, as host `hostName`.
    public func command(on index: Int, hostName: String, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        // The script is fixed; the host name and the command are its arguments.
        ("/usr/sbin/ip", ["netns", "exec", namespaces[index], "/usr/bin/unshare", "--uts", "--", "/bin/sh", "-c",
                          "hostname \"$0\" && exec \"$@\"", hostName, executable] + arguments)
    }

    deinit {
        for namespace in namespaces { _ = try? ProcessRunner.run("/usr/sbin/ip", ["netns", "del", namespace]) }
        // A veth pair whose end never reached its namespace; gone with its namespace otherwise.
        for index in namespaces.indices { _ = try? ProcessRunner.run("/usr/sbin/ip", ["link", "del", "wsv\(bridge.dropFirst(3))n\(index)"]) }
        _ = try? ProcessRunner.run("/usr/sbin/ip", ["link", "del", bridge])
    }
}
