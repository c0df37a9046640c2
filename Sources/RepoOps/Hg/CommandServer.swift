#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What one command run through the command server produced.
public struct HgCommandResult: Sendable {
    /// The command's exit status (0 on success, 255 on abort).
    public var status: Int32
    /// Everything written on the output channel, as raw bytes.
    public var output: [UInt8]
    /// Everything written on the error channel, as raw bytes.
    public var error: [UInt8]

    /// `output` decoded as UTF-8 (invalid bytes become U+FFFD).
    public var outputString: String { String(decoding: output, as: UTF8.self) }
    /// `error` decoded as UTF-8 (invalid bytes become U+FFFD).
    public var errorString: String { String(decoding: error, as: UTF8.self) }
}

/// A writer to a pipe whose reader died must get EPIPE, not be killed by SIGPIPE.
private let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// One `hg serve --cmdserver pipe` process and the framing of its protocol: every message
/// from the server is a channel byte, a 4-byte big-endian length and (except for the input
/// requests 'I' and 'L') that many bytes of data.
final class CommandServer {
    let repository: String
    /// The process id the server announced in its hello message.
    private(set) var pid: Int32 = 0
    private var child: Child?
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// What one read from a pipe fills, allocated once: zeroing 64 KiB per read was 5% of an export's instructions.
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private var stderrTail: [UInt8] = []
    private var stderrOpen = true
    /// What the server left on stderr when it died; later commands report it again.
    private var deathDetail: String?
    /// Wall time spent in `runCommand` so far, server work and round trips included.
    private(set) var busyTime: Duration = .zero
    /// Commands run so far.
    private(set) var commandCount = 0
    /// Messages received on the output and error channels so far: each wakes this process.
    private(set) var outputMessageCount = 0

    /// Starts the server for `repository`, whose root is also its working directory.
    init(hg: String, repository: String, environment: [String: String]) throws(HgError) {
        _ = ignoreSIGPIPE
        self.repository = repository
        do {
            child = try Child.spawn(hg, ["serve", "--cmdserver", "pipe", "-R", repository],
                                    in: repository, environment: environment)
        } catch {
            throw .hgNotFound(executable: hg, reason: "\(error)")
        }
        do throws(HgError) {
            let (channel, data) = try readMessage()
            let hello = String(decoding: data, as: UTF8.self)
            guard channel == UInt8(ascii: "o"), hello.contains("runcommand") else {
                throw HgError.protocolError(repository: repository, detail: "bad hello: \(hello)")
            }
            for line in hello.split(separator: "\n") where line.hasPrefix("pid: ") {
                pid = Int32(line.dropFirst(5)) ?? 0
            }
            if pid == 0, let child { pid = child.pid }
        } catch {
            let detail = stderrText
            close()
            if detail.contains("repository") && detail.contains("not found") {
                throw .notARepository(path: repository)
            }
            throw error
        }
    }

    deinit { close() }

    /// Runs one hg command (`arguments` without the leading `hg`) and collects its output.
    /// Input requests are answered with end-of-file, so a command that prompts fails instead of hanging.
    func runCommand(_ arguments: [[UInt8]]) throws(HgError) -> HgCommandResult {
        guard child != nil else { throw stoppedError }
        let start = ContinuousClock.now
        defer { busyTime += ContinuousClock.now - start; commandCount += 1 }
        let payload = Array(arguments.joined(separator: [0]))
        try send(Array("runcommand\n".utf8) + bigEndian(UInt32(payload.count)) + payload)
        var result = HgCommandResult(status: 0, output: [], error: [])
        while true {
            let (channel, data) = try readMessage()
            switch channel {
            case UInt8(ascii: "o"): result.output += data; outputMessageCount += 1
            case UInt8(ascii: "e"): result.error += data; outputMessageCount += 1
            case UInt8(ascii: "r"):
                guard data.count == 4 else { throw failProtocol("result of \(data.count) bytes") }
                result.status = Int32(bitPattern: UInt32(fromBigEndian: data))
                return result
            case UInt8(ascii: "I"), UInt8(ascii: "L"):
                try send(bigEndian(0))
            case let other where other >= UInt8(ascii: "A") && other <= UInt8(ascii: "Z"):
                throw failProtocol("unsupported required channel '\(Character(Unicode.Scalar(other)))'")
            default:
                continue  // Optional channels (lower case) may be ignored.
            }
        }
    }

    /// Stops the server: closing its stdin ends it; it is killed if it lingers.
    func close() {
        guard let child else { return }
        self.child = nil
        closeFD(child.stdin)
        // Mercurial takes a while to exit after end-of-file (100-200 ms): reap it on another thread
        // rather than make every command wait for it.
        let (pid, stdout, stderr) = (child.pid, child.stdout, child.stderr)
        Thread.detachNewThread {
            var status: Int32 = 0
            var waited = 0
            while waitpid(pid, &status, WNOHANG) == 0 {
                if waited == 2000 { kill(pid, SIGKILL) }
                usleep(1000)
                waited += 1
            }
            closeFD(stdout)
            closeFD(stderr)
        }
    }

    // MARK: - Framing

    private func readMessage() throws(HgError) -> (channel: UInt8, data: [UInt8]) {
        let header = try readBytes(5)
        let channel = header[0]
        let length = Int(UInt32(fromBigEndian: header[1...]))
        if channel == UInt8(ascii: "I") || channel == UInt8(ascii: "L") { return (channel, []) }
        return (channel, try readBytes(length))
    }

    private func readBytes(_ count: Int) throws(HgError) -> [UInt8] {
        while buffer.count - bufferStart < count { try fill() }
        let bytes = Array(buffer[bufferStart..<bufferStart + count])
        bufferStart += count
        if bufferStart == buffer.count { buffer.removeAll(keepingCapacity: true); bufferStart = 0 }
        return bytes
    }

    /// Waits for more bytes on stdout, draining stderr meanwhile so the server never blocks on it.
    private func fill() throws(HgError) {
        guard let child else { throw stoppedError }
        while true {
            var fds = [pollfd(fd: child.stdout, events: Int16(POLLIN), revents: 0)]
            if stderrOpen { fds.append(pollfd(fd: child.stderr, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                throw died()
            }
            if fds.count > 1 && fds[1].revents != 0 {
                let n = readFD(child.stderr, &chunk, chunk.count)
                if n > 0 {
                    stderrTail = Array((stderrTail + chunk[0..<n]).suffix(4096))
                } else if n == 0 || errno != EINTR {
                    stderrOpen = false
                }
            }
            if fds[0].revents != 0 {
                let n = readFD(child.stdout, &chunk, chunk.count)
                if n > 0 { buffer += chunk[0..<n]; return }
                if n == 0 || errno != EINTR { throw died() }
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws(HgError) {
        guard let child else { throw stoppedError }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(child.stdin, $0.baseAddress! + written, bytes.count - written) }
            if n > 0 { written += n } else if errno != EINTR { throw died() }
        }
    }

    private var stderrText: String {
        String(decoding: stderrTail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Collects what the dead server left on stderr, reaps it, and returns the error to throw.
    private func died() -> HgError {
        if let child, stderrOpen {
            var chunk = [UInt8](repeating: 0, count: 4096)
            var fds = [pollfd(fd: child.stderr, events: Int16(POLLIN), revents: 0)]
            while poll(&fds, 1, 1000) > 0 {
                let n = readFD(child.stderr, &chunk, chunk.count)
                if n > 0 { stderrTail = Array((stderrTail + chunk[0..<n]).suffix(4096)) } else { break }
            }
            stderrOpen = false
        }
        deathDetail = stderrText
        close()
        return stoppedError
    }

    private var stoppedError: HgError {
        if let deathDetail { return .serverDied(repository: repository, detail: deathDetail) }
        return .closed(repository: repository)
    }

    private func failProtocol(_ detail: String) -> HgError {
        close()
        return .protocolError(repository: repository, detail: detail)
    }
}

private func closeFD(_ fd: Int32) { _ = close(fd) }
private func readFD(_ fd: Int32, _ buffer: inout [UInt8], _ count: Int) -> Int { read(fd, &buffer, count) }

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

private extension UInt32 {
    init<C: Collection<UInt8>>(fromBigEndian bytes: C) {
        self = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
