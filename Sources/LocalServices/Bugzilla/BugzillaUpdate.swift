import Foundation

/// `PUT /rest/bug/{id}`: only the fields given change; all or nothing.
extension BugzillaService {
    func updateBug(_ id: Int, _ call: BugzillaCall, login: String, _ state: inout BugzillaState) throws(BugzillaError) -> JSON {
        let body = try call.body("Bug.update")
        var bug = state.bugs[id]!
        var scratch = state  // ids for flags and comments; kept only when the update succeeds
        var changes: [FieldChange] = []
        let before = bug.scalars

        for name in BugRecord.scalarNames.subtracting(["creator"]).sorted() {
            guard body[name] != nil else { continue }
            guard let value = Self.text(body[name]) else { throw .invalid(name, "Bug.update") }
            bug.scalars[name] = value
        }
        try checkScalars(&bug, before: before, body: body)
        for name in BugRecord.scalarDefaults.map(\.0) where before[name] != bug.scalars[name] {
            changes.append(FieldChange(field: name, removed: before[name] ?? "", added: bug.scalars[name] ?? ""))
        }
        for name in BugRecord.listNames {
            guard let value = body[name] else { continue }
            if let change = try Self.applyList(name, value, to: &bug) { changes.append(change) }
        }
        if let flags = body["flags"] {
            changes += try applyFlags(flags, to: &bug, by: login, at: call.now, &scratch)
        }
        var commented = false
        if let comment = body["comment"] {
            guard let object = comment as? [String: Any], let text = Self.text(object["body"] ?? object["comment"]) else {
                throw .invalid("comment", "Bug.update")
            }
            appendComment(text, to: &bug, by: login, isPrivate: object["is_private"] as? Bool ?? false,
                          isMarkdown: object["is_markdown"] as? Bool ?? false, at: call.now, &scratch)
            commented = true
        }
        if !changes.isEmpty || commented { bug.lastChangeTime = call.now }
        if !changes.isEmpty { bug.history.append(HistoryRecord(when: call.now, who: login, changes: changes)) }
        scratch.bugs[id] = bug
        state = scratch

        var byField: [(String, JSON)] = []
        for field in changes.map(\.field).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let same = changes.filter { $0.field == field }
            func joined(_ values: [String]) -> String { values.filter { !$0.isEmpty }.joined(separator: ", ") }
            byField.append((field, .object([("added", .string(joined(same.map(\.added)))),
                                            ("removed", .string(joined(same.map(\.removed))))])))
        }
        return .object([("bugs", .array([.object([
            ("id", .int(id)), ("alias", .array([])), ("last_change_time", .string(timestamp(bug.lastChangeTime))),
            ("changes", .object(byField)),
        ])]))])
    }

    /// Checks the single-valued fields after the request set them: summary, type, product and
    /// component, and status with resolution (a closed status needs one, an open one has none).
    private func checkScalars(_ bug: inout BugRecord, before: [String: String], body: [String: Any]) throws(BugzillaError) {
        func value(_ name: String) -> String { bug.scalars[name] ?? "" }
        if body["summary"] != nil { try Self.checkSummary(value("summary")) }
        if body["type"] != nil { try Self.checkType(value("type")) }
        if body["product"] != nil || body["component"] != nil {
            guard let components = products[value("product")] else { throw .noSuch("product", value("product")) }
            guard components.contains(value("component")) else {
                throw .noSuch("component", value("component"), product: value("product"))
            }
        }
        let status = value("status")
        guard BugRecord.openStatuses.contains(status) || BugRecord.closedStatuses.contains(status) else {
            throw .noSuch("status", status)
        }
        if !value("resolution").isEmpty && !BugRecord.resolutions.contains(value("resolution")) {
            throw .noSuch("resolution", value("resolution"))
        }
        if BugRecord.openStatuses.contains(status) {
            if body["resolution"] != nil && !value("resolution").isEmpty {
                throw BugzillaError(code: 122, message: "You cannot set a resolution for open bugs.")
            }
            bug.scalars["resolution"] = ""
        } else if value("resolution").isEmpty {
            throw BugzillaError(code: 121, message: "A valid resolution is required to mark bugs as \(status).")
        }
    }

    /// `{"add": [...], "remove": [...]}` or `{"set": [...]}` on a multi-valued field.
    private static func applyList(_ name: String, _ value: Any, to bug: inout BugRecord) throws(BugzillaError) -> FieldChange? {
        guard let operations = value as? [String: Any] else { throw .invalid(name, "Bug.update") }
        func items(_ key: String) throws(BugzillaError) -> [String]? {
            guard let raw = operations[key] else { return nil }
            guard let list = (raw as? [Any])?.compactMap(text) ?? text(raw).map({ [$0] }) else { throw .invalid(name, "Bug.update") }
            return list
        }
        let old = bug.lists[name] ?? []
        var new = old
        if let set = try items("set") {
            new = set
        } else {
            let remove = try items("remove") ?? []
            new.removeAll { remove.contains($0) }
            for item in try items("add") ?? [] where !new.contains(item) { new.append(item) }
        }
        bug.lists[name] = new
        let removed = old.filter { !new.contains($0) }
        let added = new.filter { !old.contains($0) }
        guard !removed.isEmpty || !added.isEmpty else { return nil }
        return FieldChange(field: name, removed: removed.joined(separator: ", "), added: added.joined(separator: ", "))
    }

    /// `[{"name": "needinfo", "status": "?", "requestee": …}]` sets a flag; `{"id": N, "status": "X"}`
    /// clears one (`{"id", "status": "+"|"-"|"?"}` changes it). History names them `flagtypes.name`.
    func applyFlags(_ value: Any, to bug: inout BugRecord, by login: String, at time: Date,
                    _ state: inout BugzillaState) throws(BugzillaError) -> [FieldChange] {
        guard let entries = value as? [[String: Any]] else { throw .invalid("flags", "Bug.update") }
        var changes: [FieldChange] = []
        for entry in entries {
            let status = Self.text(entry["status"]) ?? ""
            guard ["?", "+", "-", "X"].contains(status) else {
                throw BugzillaError(code: 129, message: "The flag status '\(status)' is invalid.")
            }
            if let flagID = Self.text(entry["id"]).flatMap(Int.init) {
                guard let index = bug.flags.firstIndex(where: { $0.id == flagID }) else { throw .noSuch("flag", String(flagID)) }
                let old = bug.flags[index]
                if status == "X" {
                    bug.flags.remove(at: index)
                    changes.append(FieldChange(field: "flagtypes.name", removed: old.label, added: ""))
                } else if status != old.status {
                    bug.flags[index].status = status
                    bug.flags[index].modified = time
                    changes.append(FieldChange(field: "flagtypes.name", removed: old.label, added: bug.flags[index].label))
                }
                continue
            }
            let name = Self.text(entry["name"]) ?? ""
            guard name == "needinfo" else { throw .noSuch("flag type", name) }
            guard status != "X" else { continue }
            let requestee = Self.text(entry["requestee"]).flatMap { $0.isEmpty ? nil : $0 }
            let flag = FlagRecord(id: state.nextFlagID, name: name, status: status, requestee: requestee,
                                  setter: login, created: time, modified: time)
            state.nextFlagID += 1
            bug.flags.append(flag)
            changes.append(FieldChange(field: "flagtypes.name", removed: "", added: flag.label))
        }
        return changes
    }
}
