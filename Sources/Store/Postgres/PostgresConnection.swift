#if canImport(Glibc)
import Glibc
#endif
import CPostgres
import Foundation

/// The rows of one statement's result, as text (libpq's text format); NULL is nil.
struct PostgresRows {
    var columns: [String]
    var rows: [[String?]]
    /// How many rows an INSERT, UPDATE or DELETE changed.
    var affected: Int

    func value(_ row: Int, _ column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows[row][index]
    }
}

/// One libpq connection, used by one thread at a time (callers hold a lock). A connection found
/// broken is re-established before the next statement.
final class PostgresConnection: @unchecked Sendable {
    let parameters: PostgresParameters
    let pq: LibPQ
    private(set) var handle: OpaquePointer

    init(_ parameters: PostgresParameters) throws(StoreError) {
        self.parameters = parameters
        switch LibPQ.shared {
        case .success(let library): pq = library
        case .failure(let error): throw .open(path: parameters.url, reason: error.reason)
        }
        handle = try Self.connect(parameters, pq)
    }

    deinit { pq.PQfinish(handle) }

    /// Whether the server does not answer or does not accept connections yet (`PQpingParams`): an
    /// outage to wait out, unlike a refused password or a missing database.
    static func isDown(_ parameters: PostgresParameters) -> Bool {
        guard case .success(let pq) = LibPQ.shared else { return false }
        let (keywords, values) = parameters.keywords(pq)
        let ping = withCStrings(keywords) { keys in withCStrings(values) { values in pq.PQpingParams(keys, values, 1) } }
        return ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT
    }

    private static func connect(_ parameters: PostgresParameters, _ pq: LibPQ) throws(StoreError) -> OpaquePointer {
        let (keywords, values) = parameters.keywords(pq)
        let handle = withCStrings(keywords) { keys in
            withCStrings(values) { values in pq.PQconnectdbParams(keys, values, 1) }
        }
        guard let handle else { throw .open(path: parameters.url, reason: "out of memory") }
        guard pq.PQstatus(handle) == CONNECTION_OK else {
            let reason = message(handle, pq)
            pq.PQfinish(handle)
            throw .open(path: parameters.url, reason: reason)
        }
        return handle
    }

    /// The socket to wait on for notifications.
    var socket: Int32 { pq.PQsocket(handle) }

    /// Runs `sql` with `$1`… bound to `arguments` (text; nil is NULL). Without arguments, `sql` may
    /// hold several statements.
    @discardableResult
    func execute(_ sql: String, _ arguments: [String?] = []) throws(StoreError) -> PostgresRows {
        try ensureConnected()
        let sent = if arguments.isEmpty { pq.PQsendQuery(handle, sql) } else { send(sql, arguments) }
        let result = sent == 1 ? try awaitResult() : nil
        defer { pq.PQclear(result) }
        return try rows(of: result)
    }

    /// Re-establishes a connection found broken, or throws `unavailable`.
    func ensureConnected() throws(StoreError) {
        guard pq.PQstatus(handle) != CONNECTION_OK else { return }
        pq.PQreset(handle)
        guard pq.PQstatus(handle) == CONNECTION_OK else { throw .unavailable(store: parameters.url, reason: Self.message(handle, pq)) }
    }

    /// Sends `sql` with its arguments bound (`PQsendQueryParams`); 1 when sent.
    func send(_ sql: String, _ arguments: [String?]) -> Int32 {
        withOptionalCStrings(arguments) { values in
            pq.PQsendQueryParams(handle, sql, Int32(arguments.count), nil, values, nil, nil, 0)
        }
    }

    /// The rows of a successful `result`, or the error it (or the connection) reports.
    func rows(of result: OpaquePointer?) throws(StoreError) -> PostgresRows {
        let status = pq.PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let reason = result.flatMap { pq.PQresultErrorMessage($0) }.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? Self.message(handle, pq)
            let state = result.flatMap { pq.PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
            throw Self.error(state: state, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines), url: parameters.url,
                             broken: pq.PQstatus(handle) != CONNECTION_OK)
        }
        let columnCount = Int(pq.PQnfields(result)), rowCount = Int(pq.PQntuples(result))
        let columns = (0..<columnCount).map { text(pq.PQfname(result, Int32($0))) }
        let rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                pq.PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : text(pq.PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
        return PostgresRows(columns: columns, rows: rows, affected: Int(text(pq.PQcmdTuples(result))) ?? 0)
    }

    /// The last result of the statements sent (or the first error), as `PQexec` gives it.
    private func awaitResult() throws(StoreError) -> OpaquePointer? {
        let deadline = answerDeadline()
        var kept: OpaquePointer?
        while true {
            let next: OpaquePointer?
            do { next = try nextResult(by: deadline) } catch {
                pq.PQclear(kept)
                throw error
            }
            guard let next else { return kept }
            if let kept, pq.PQresultStatus(kept) == PGRES_FATAL_ERROR {
                pq.PQclear(next)
            } else {
                pq.PQclear(kept)
                kept = next
            }
        }
    }

    /// When an answer must have come (`parameters.answerTimeoutMilliseconds` from now), if ever.
    func answerDeadline() -> UInt64? {
        parameters.answerTimeoutMilliseconds.map { DispatchTime.now().uptimeNanoseconds + UInt64($0) * 1_000_000 }
    }

    /// `PQgetResult` once it would not block, waiting at most until `deadline`: past that the
    /// connection is cut and `unavailable` thrown, since a server that accepted the connection and
    /// then froze or was cut off would otherwise be waited for forever.
    func nextResult(by deadline: UInt64?) throws(StoreError) -> OpaquePointer? {
        while pq.PQisBusy(handle) == 1 {
            let now = DispatchTime.now().uptimeNanoseconds
            let remaining = deadline.map { $0 > now ? Int32(($0 - now) / 1_000_000) : 0 }
            if remaining == 0 {
                abandon()
                throw .unavailable(store: parameters.url, reason: "no answer within \(parameters.answerTimeoutMilliseconds ?? 0) ms; the connection was closed")
            }
            var polled = pollfd(fd: pq.PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&polled, 1, remaining ?? -1)
            if ready < 0 && errno == EINTR { continue }
            if ready != 0 && pq.PQconsumeInput(handle) == 0 { break }
        }
        return pq.PQgetResult(handle)
    }

    /// Shuts the socket so that libpq finds the connection broken, and drops what it still holds.
    func abandon() {
        shutdown(pq.PQsocket(handle), Int32(SHUT_RDWR))
        _ = pq.PQconsumeInput(handle)
        while let result = pq.PQgetResult(handle) { pq.PQclear(result) }
    }

    /// Runs `body` in a transaction, committed when it returns and rolled back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if pq.PQstatus(handle) == CONNECTION_OK { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    /// The notifications received so far (after `consumeInput`): their channels.
    func takeNotifications() -> [String] {
        var channels: [String] = []
        while let notification = pq.PQnotifies(handle) {
            channels.append(String(cString: notification.pointee.relname))
            pq.PQfreemem(notification)
        }
        return channels
    }

    /// Reads what the server sent; false when the connection is broken.
    func consumeInput() -> Bool { pq.PQconsumeInput(handle) == 1 && pq.PQstatus(handle) == CONNECTION_OK }

    /// Re-establishes a broken connection; false when the server still cannot be reached.
    func reset() -> Bool {
        pq.PQreset(handle)
        return pq.PQstatus(handle) == CONNECTION_OK
    }

    static func message(_ handle: OpaquePointer, _ pq: LibPQ) -> String {
        text(pq.PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Lock waits and serialization failures are `busy` (try again); a lost server `unavailable`;
    /// a table or column that does not exist means a schema older than this wptsync's.
    private static func error(state: String?, reason: String, url: String, broken: Bool) -> StoreError {
        if broken || state?.hasPrefix("08") == true || state == "57P01" { return .unavailable(store: url, reason: reason) }
        if ["40001", "40P01", "55P03", "57014"].contains(state ?? "") { return .busy(path: url) }
        if state == "42703" || state == "42P01" {
            return .schema(store: url, reason: "\(reason): its schema is older than this wptsync's, run `wptsync migrate`")
        }
        return .query(path: url, reason: reason)
    }
}

private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
