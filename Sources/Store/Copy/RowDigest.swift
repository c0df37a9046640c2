import Crypto
import Foundation

/// SHA-256 of a sequence of optional strings (NULL distinct from the empty string).
struct RowDigest {
    private var hash = SHA256()

    mutating func add(_ value: String?) {
        guard let value else { hash.update(data: Data([0])); return }
        let bytes = Data(value.utf8)
        hash.update(data: Data([1]) + Data("\(bytes.count):".utf8) + bytes)
    }

    func finish() -> String { hash.finalize().map { String(format: "%02x", $0) }.joined() }
}
