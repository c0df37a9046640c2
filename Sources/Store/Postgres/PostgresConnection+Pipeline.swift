import CPostgres

extension PostgresConnection {
    /// Runs `statements` (each with `$1`… bound to its arguments) in one round trip and one
    /// transaction: libpq's pipeline mode sends them together and the server commits at the end of
    /// the pipeline, or rolls all of them back at the first error (thrown). Their rows, in order.
    func executeInOneTrip(_ statements: [(sql: String, arguments: [String?])]) throws(StoreError) -> [PostgresRows] {
        try ensureConnected()
        guard pq.PQenterPipelineMode(handle) == 1 else { throw .query(path: parameters.url, reason: Self.message(handle, pq)) }
        defer { if pq.PQstatus(handle) == CONNECTION_OK { _ = pq.PQexitPipelineMode(handle) } }
        // A pipeline left with statements queued could not be left: the connection is cut instead,
        // and the next statement connects again.
        for statement in statements where send(statement.sql, statement.arguments) != 1 {
            let reason = Self.message(handle, pq)
            abandon()
            throw .unavailable(store: parameters.url, reason: reason)
        }
        guard pq.PQpipelineSync(handle) == 1 else {
            let reason = Self.message(handle, pq)
            abandon()
            throw .unavailable(store: parameters.url, reason: reason)
        }
        let deadline = answerDeadline()
        var rows: [PostgresRows] = []
        var failure: StoreError?
        // Each statement's result is followed by a null one; the pipeline ends with its sync point.
        for _ in statements {
            while let result = try nextResult(by: deadline) {
                defer { pq.PQclear(result) }
                guard failure == nil, pq.PQresultStatus(result) != PGRES_PIPELINE_ABORTED else { continue }
                do { rows.append(try self.rows(of: result)) } catch { failure = error }
            }
        }
        while let result = try nextResult(by: deadline) {
            let status = pq.PQresultStatus(result)
            pq.PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let failure { throw failure }
        return rows
    }
}
