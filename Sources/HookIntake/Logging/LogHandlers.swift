import Foundation
import Logging
import SyncCore

/// Sets up swift-log once per process: a readable line per message on standard error and,
/// when configured, one JSON object per line in the log file.
public enum LogSetup {
    /// Bootstraps logging; later calls in the same process are ignored by swift-log's rules, so call once.
    public static func bootstrap(_ settings: LogSettings, verbose: Bool, quietTerminal: Bool = false) {
        let level: Logger.Level = verbose ? .debug : Logger.Level(rawValue: settings.level) ?? .info
        let file = settings.file
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = []
            if !quietTerminal { handlers.append(TerminalLogHandler(label: label, logLevel: level)) }
            if let file { handlers.append(JSONLinesLogHandler(path: file, label: label, logLevel: level)) }
            return MultiplexLogHandler(handlers.isEmpty ? [SwiftLogNoOpLogHandler()] : handlers)
        }
    }
}

/// `wptsync: message key=value …` on standard error, secrets redacted (`SecretRedaction`).
struct TerminalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let prefix = event.level >= .warning ? "wptsync: \(event.level): " : "wptsync: "
        let line = prefix + "\(event.message)" + (details.isEmpty ? "" : " " + details)
        FileHandle.standardError.write(Data((SecretRedaction.redact(line) + "\n").utf8))
    }
}

/// Appends `{"time":…,"level":…,"label":…,"message":…,"metadata":{…}}` lines to a file, secrets
/// redacted (`SecretRedaction`) before they are JSON-encoded.
struct JSONLinesLogHandler: LogHandler {
    let path: String
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(path: String, label: String, logLevel: Logger.Level) {
        self.path = path; self.label = label; self.logLevel = logLevel
        try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                 withIntermediateDirectories: true)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let redactor = SecretRedaction.current
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
            "label": label, "message": redactor("\(event.message)"),
        ]
        if !merged.isEmpty { object["metadata"] = merged.mapValues { redactor("\($0)") } }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
