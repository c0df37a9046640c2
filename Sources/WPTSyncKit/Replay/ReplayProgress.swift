import Foundation

/// Progress of a long replay: on a terminal one bar redrawn in place with `\r`, otherwise a line
/// every `every` events and one at the end.
public final class ReplayProgress {
    public let total: Int
    public let terminal: Bool
    public let every: Int
    private let write: (String) -> Void
    private let clock: () -> Date
    private let started: Date
    private var done = 0

    public init(total: Int, terminal: Bool, every: Int = 100, clock: @escaping () -> Date = { Date() },
                write: @escaping (String) -> Void) {
        self.total = total; self.terminal = terminal; self.every = max(1, every)
        self.write = write; self.clock = clock; started = clock()
    }

    /// Progress on standard output, as a bar when it is a terminal.
    public static func standardOutput(total: Int, every: Int = 100) -> ReplayProgress {
        ReplayProgress(total: total, terminal: isatty(STDOUT_FILENO) != 0, every: every) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Counts one more event.
    public func advance() {
        done += 1
        if terminal {
            write("\r" + Self.line(done: done, total: total, seconds: elapsed, bar: true))
        } else if done % every == 0 {
            write(Self.line(done: done, total: total, seconds: elapsed, bar: false) + "\n")
        }
    }

    /// Ends the bar's line, or writes the last count if it was not written.
    public func finish() {
        if terminal {
            if done > 0 { write("\n") }
        } else if done % every != 0 {
            write(Self.line(done: done, total: total, seconds: elapsed, bar: false) + "\n")
        }
    }

    private var elapsed: Double { clock().timeIntervalSince(started) }

    /// `[#######.............] 35/100 events, 12.5/s` (the bar only when `bar`).
    public static func line(done: Int, total: Int, seconds: Double, bar: Bool, width: Int = 30) -> String {
        let rate = seconds > 0 ? String(format: ", %.1f/s", Double(done) / seconds) : ""
        let count = "\(done)/\(total) events\(rate)"
        guard bar else { return "replayed " + count }
        let filled = total > 0 ? min(width, width * done / total) : width
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + count
    }
}
