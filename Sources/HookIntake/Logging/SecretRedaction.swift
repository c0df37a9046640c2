import Synchronization
import SyncCore

/// This process's redactor, installed once at startup from the configured secrets (as logging is
/// bootstrapped once). Every sink for text that came from elsewhere passes it through: log lines,
/// stored errors, printed errors.
public enum SecretRedaction {
    private static let installed = Mutex(Redactor.none)

    /// Makes `redactor` the one every sink uses from now on.
    public static func install(_ redactor: Redactor) { installed.withLock { $0 = redactor } }

    /// The installed redactor (`Redactor.none` until one is installed).
    public static var current: Redactor { installed.withLock { $0 } }

    /// `text` with the installed secrets redacted.
    public static func redact(_ text: String) -> String { current(text) }
}
