/// 64-bit FNV-1a: a fast digest that is the same on every run and machine, for telling inputs
/// apart in keys and names. Not for anything an attacker may choose to collide.
public struct FNV1a: Sendable {
    /// The standard offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The digest of what was added so far.
    public private(set) var value: UInt64

    public init(seed: UInt64 = FNV1a.offsetBasis) { value = seed }

    /// Adds `bytes` to the digest.
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    /// The digest in 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The digest of `bytes` in 16 lowercase hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var digest = FNV1a()
        digest.add(bytes)
        return digest.hex
    }
}
