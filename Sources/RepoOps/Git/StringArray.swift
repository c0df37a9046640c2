import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with a `git_strarray` view of `strings`, NUL-terminated C strings (paths as bytes).
func withStringArray<R>(_ strings: [[CChar]], _ body: (inout git_strarray) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { string in string.withUnsafeBufferPointer { strdup($0.baseAddress!) } }
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return body(&array)
    }
}

/// Calls `body` with a `git_strarray` view of `strings`.
func withStringArray<R>(_ strings: [String], _ body: (inout git_strarray) -> R) -> R {
    withStringArray(strings.map { Array($0.utf8CString) }, body)
}
