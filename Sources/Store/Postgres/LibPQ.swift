#if canImport(Glibc)
import Glibc
#endif
import CPostgres

/// libpq, loaded when a PostgreSQL store is first used. Linking it would make every hook load it and
/// the 23 libraries it needs (TLS, Kerberos, LDAP), about 8 ms more per hook even with the SQLite
/// journal (docs/PERFORMANCE.md); the header still gives the types.
struct LibPQ: @unchecked Sendable {
    typealias Connection = OpaquePointer
    typealias Result = OpaquePointer
    let PQconnectdbParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Connection?
    let PQstatus: @convention(c) (Connection?) -> ConnStatusType
    let PQfinish: @convention(c) (Connection?) -> Void
    let PQreset: @convention(c) (Connection?) -> Void
    let PQerrorMessage: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
    let PQsocket: @convention(c) (Connection?) -> Int32
    let PQsendQuery: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32
    let PQsendQueryParams: @convention(c) (Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?,
                                           UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32
    let PQgetResult: @convention(c) (Connection?) -> Result?
    let PQisBusy: @convention(c) (Connection?) -> Int32
    let PQresultStatus: @convention(c) (Result?) -> ExecStatusType
    let PQresultErrorMessage: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let PQresultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let PQclear: @convention(c) (Result?) -> Void
    let PQnfields: @convention(c) (Result?) -> Int32
    let PQntuples: @convention(c) (Result?) -> Int32
    let PQfname: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let PQgetisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let PQgetvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let PQcmdTuples: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let PQconsumeInput: @convention(c) (Connection?) -> Int32
    let PQnotifies: @convention(c) (Connection?) -> UnsafeMutablePointer<PGnotify>?
    let PQfreemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let PQpingParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> PGPing
    let PQenterPipelineMode: @convention(c) (Connection?) -> Int32
    let PQexitPipelineMode: @convention(c) (Connection?) -> Int32
    let PQpipelineSync: @convention(c) (Connection?) -> Int32
    let PQconninfoParse: @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<PQconninfoOption>?
    let PQconninfoFree: @convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void

    /// The library, or why it cannot be loaded.
    static let shared: Swift.Result<LibPQ, LoadError> = load("libpq.so.5")

    struct LoadError: Error { let reason: String }

    private static func load(_ name: String) -> Swift.Result<LibPQ, LoadError> {
        guard let library = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(LoadError(reason: "\(name) cannot be loaded (install Debian's libpq5): \(dlerror().map { String(cString: $0) } ?? "")"))
        }
        var missing: [String] = []
        func symbol<T>(_ name: String, _: T.Type = T.self) -> T {
            guard let pointer = dlsym(library, name) else {
                missing.append(name)
                return unsafeBitCast(UnsafeMutableRawPointer(bitPattern: 1)!, to: T.self)  // never called: loading fails
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        let pq = LibPQ(
            PQconnectdbParams: symbol("PQconnectdbParams"), PQstatus: symbol("PQstatus"), PQfinish: symbol("PQfinish"),
            PQreset: symbol("PQreset"), PQerrorMessage: symbol("PQerrorMessage"), PQsocket: symbol("PQsocket"),
            PQsendQuery: symbol("PQsendQuery"),
            PQsendQueryParams: symbol("PQsendQueryParams"), PQgetResult: symbol("PQgetResult"), PQisBusy: symbol("PQisBusy"), PQresultStatus: symbol("PQresultStatus"),
            PQresultErrorMessage: symbol("PQresultErrorMessage"), PQresultErrorField: symbol("PQresultErrorField"),
            PQclear: symbol("PQclear"), PQnfields: symbol("PQnfields"), PQntuples: symbol("PQntuples"), PQfname: symbol("PQfname"),
            PQgetisnull: symbol("PQgetisnull"), PQgetvalue: symbol("PQgetvalue"), PQcmdTuples: symbol("PQcmdTuples"),
            PQconsumeInput: symbol("PQconsumeInput"), PQnotifies: symbol("PQnotifies"), PQfreemem: symbol("PQfreemem"),
            PQpingParams: symbol("PQpingParams"), PQenterPipelineMode: symbol("PQenterPipelineMode"),
            PQexitPipelineMode: symbol("PQexitPipelineMode"), PQpipelineSync: symbol("PQpipelineSync"),
            PQconninfoParse: symbol("PQconninfoParse"), PQconninfoFree: symbol("PQconninfoFree"))
        guard missing.isEmpty else { return .failure(LoadError(reason: "\(name) lacks \(missing.joined(separator: ", "))")) }
        return .success(pq)
    }
}
