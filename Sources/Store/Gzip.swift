import CZlib

/// gzip (RFC 1952) through Debian's zlib, for blobs the store keeps compressed: `gunzip` reads
/// them as they are.
enum Gzip {
    /// 16 + the largest window: zlib writes and reads a gzip wrapper.
    private static let windowBits: Int32 = 16 + 15

    /// `bytes` compressed at the default level.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let ready = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                  zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(ready == Z_OK, "zlib deflateInit2 failed (\(ready))")
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound is enough for a single Z_FINISH call: anything else is a zlib bug.
        precondition(status == Z_STREAM_END, "zlib deflate did not finish (\(status))")
        return Array(output.prefix(Int(stream.total_out)))
    }

    /// The bytes `compressed` holds, or a reason they cannot be read (not gzip, truncated,
    /// damaged, or more than `limit` bytes once expanded).
    static func decompress(_ compressed: [UInt8], limit: Int = 1 << 30) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(Failure(reason: "zlib inflateInit2 failed"))
        }
        defer { inflateEnd(&stream) }
        var input = compressed
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                output += chunk.prefix(produced)
                if output.count > limit { return .failure(Failure(reason: "more than \(limit) bytes once expanded")) }
                switch status {
                case Z_STREAM_END: return .success(output)
                case Z_OK: continue
                case Z_BUF_ERROR where produced > 0: continue
                case Z_BUF_ERROR: return .failure(Failure(reason: "truncated gzip data"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(Failure(reason: "damaged gzip data: \(message)"))
                }
            }
        }
    }

    struct Failure: Error, Equatable { var reason: String }
}
