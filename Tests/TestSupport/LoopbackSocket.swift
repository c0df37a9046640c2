#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `127.0.0.1:port` as a socket address.
func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = port.bigEndian
    return address
}

/// A TCP socket listening on 127.0.0.1 at a port the system chose, for the tests' small servers.
func listenOnLoopback() throws -> (socket: Int32, port: UInt16) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let listening = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 && listen(listener, 16) == 0
        }
    }
    guard listening else { close(listener); throw PostgresClusterError("cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))") }
    return (listener, UInt16(bigEndian: address.sin_port))
}
