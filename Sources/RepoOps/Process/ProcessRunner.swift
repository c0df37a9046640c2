#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CSpawn

/// The result of running a program to completion.
public struct ProcessOutput: Sendable {
    /// Exit status, or 128 + signal number when killed by a signal.
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// Whether the program was killed because it ran past its time limit.
    public var timedOut = false

    public var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrString: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs with an argument array (never through a shell), feeding stdin and
/// collecting stdout and stderr without deadlocking on full pipes.
public enum ProcessRunner {
    /// Names a child keeps from this process's environment by default: what programs and Mercurial
    /// need to run (CA certificates and proxies included, for https). Nothing else is passed on,
    /// since this process's environment holds tokens.
    public static let inheritedNames = Set([
        "PATH", "HOME", "LANG", "TMPDIR", "USER", "LOGNAME", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "HGRCPATH", "HGPLAIN", "HGENCODING", "HGUSER",
    ]).union(proxyNames)

    /// The proxy variables, in both cases as programs read either (a proxy URL may hold a password).
    public static let proxyNames: Set<String> = Set(["http_proxy", "https_proxy", "all_proxy", "no_proxy"].flatMap { [$0, $0.uppercased()] })

    /// The environment a child gets unless the caller gives its own: the `inheritedNames` and `LC_*`
    /// variables of `environment` (this process's by default). A caller adds what its child needs.
    public static func childEnvironment(from environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        environment.filter { inheritedNames.contains($0.key) || $0.key.hasPrefix("LC_") }
    }

    /// `SSH_AUTH_SOCK` when set, for a child that may connect over ssh (a pull or push): ssh then
    /// uses the running agent's keys.
    public static func sshAgent(from environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        environment.filter { $0.key == "SSH_AUTH_SOCK" }
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    /// - Parameters:
    ///   - environment: replaces the default `childEnvironment()` when given; `extraEnvironment` is added on top.
    ///   - timeout: seconds after which the program is killed (SIGKILL) and `timedOut` is set.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil,
        environment: [String: String]? = nil,
        extraEnvironment: [String: String] = [:],
        stdin: [UInt8] = [],
        timeout: Double? = nil
    ) throws(ProcessError) -> ProcessOutput {
        let child = try Child.spawn(executable, arguments, in: directory,
                                    environment: environment, extraEnvironment: extraEnvironment)
        var output = ProcessOutput(status: 0, stdout: [], stderr: [])
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        if !pump(child: child, stdin: stdin, into: &output, until: deadline) {
            kill(child.pid, SIGKILL)
            output.timedOut = true
        }
        output.status = child.wait()
        return output
    }

    /// Like `run`, but throws `ProcessError.failed` when the exit status is not zero.
    @discardableResult
    public static func check(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil,
        extraEnvironment: [String: String] = [:],
        stdin: [UInt8] = []
    ) throws(ProcessError) -> ProcessOutput {
        let out = try run(executable, arguments, in: directory, extraEnvironment: extraEnvironment, stdin: stdin)
        guard out.status == 0 else {
            throw .failed(command: ([executable] + arguments).joined(separator: " "),
                          status: out.status, stderr: out.stderrString)
        }
        return out
    }

    /// Feeds stdin and reads stdout and stderr until both close; false (pipes closed) when
    /// `deadline` passes first.
    private static func pump(child: Child, stdin input: [UInt8], into output: inout ProcessOutput, until deadline: Date?) -> Bool {
        var written = 0
        var stdinFD: Int32 = child.stdin
        if input.isEmpty { close(stdinFD); stdinFD = -1 }
        var open: [Int32] = [child.stdout, child.stderr]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty || stdinFD >= 0 {
            var wait: Int32 = -1
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 {
                    (open + (stdinFD >= 0 ? [stdinFD] : [])).forEach { close($0) }
                    return false
                }
                wait = Int32(min(left * 1000 + 1, 60_000))
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 { if errno == EINTR { continue }; break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let n = input.withUnsafeBytes { raw in
                        write(stdinFD, raw.baseAddress! + written, input.count - written)
                    }
                    if n > 0 { written += n }
                    if n < 0 && errno != EINTR && errno != EAGAIN { written = input.count }
                    if written >= input.count { close(stdinFD); stdinFD = -1 }
                    continue
                }
                let n = read(entry.fd, &buffer, buffer.count)
                if n > 0 {
                    if entry.fd == child.stdout { output.stdout += buffer[0..<n] } else { output.stderr += buffer[0..<n] }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        return true
    }
}

/// A spawned child process with pipes to its stdin, stdout and stderr.
public final class Child {
    public let pid: pid_t
    public let stdin: Int32
    public let stdout: Int32
    public let stderr: Int32

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid; self.stdin = stdin; self.stdout = stdout; self.stderr = stderr
    }

    /// Starts `executable` with `arguments`; the caller owns the three pipe ends. The environment is
    /// `environment`, or else `ProcessRunner.childEnvironment()`, with `extraEnvironment` on top.
    public static func spawn(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil,
        environment: [String: String]? = nil,
        extraEnvironment: [String: String] = [:]
    ) throws(ProcessError) -> Child {
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var fds: [Int32] = [0, 0]
            // Close-on-exec from the start: a child another thread spawns meanwhile must not keep
            // this child's stdin open (both would wait forever for end of input).
            guard wpts_pipe_cloexec(&fds) == 0 else { throw .spawn(executable: executable, reason: String(cString: strerror(errno))) }
            pipes.append(fds)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        for p in pipes { posix_spawn_file_actions_addclose(&actions, p[0]); posix_spawn_file_actions_addclose(&actions, p[1]) }
        if let directory { wpts_spawn_addchdir(&actions, directory) }

        var env = environment ?? ProcessRunner.childEnvironment()
        for (k, v) in extraEnvironment { env[k] = v }
        let path = resolve(executable, searchPath: env["PATH"])
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        close(pipes[0][0]); close(pipes[1][1]); close(pipes[2][1])
        guard rc == 0 else {
            close(pipes[0][1]); close(pipes[1][0]); close(pipes[2][0])
            throw .spawn(executable: executable, reason: String(cString: strerror(rc)))
        }
        return Child(pid: pid, stdin: pipes[0][1], stdout: pipes[1][0], stderr: pipes[2][0])
    }

    /// Waits for the child to exit and returns its status (128 + signal when killed).
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    private static func resolve(_ executable: String, searchPath: String?) -> String {
        if executable.contains("/") { return executable }
        for dir in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return executable
    }
}

/// Errors from starting or running a child process.
public enum ProcessError: Error, CustomStringConvertible, Sendable {
    case spawn(executable: String, reason: String)
    case failed(command: String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case let .spawn(executable, reason): "cannot start \(executable): \(reason)"
        case let .failed(command, status, stderr): "\(command) exited with status \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
