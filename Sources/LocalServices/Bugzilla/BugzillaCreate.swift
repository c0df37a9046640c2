import Foundation

/// `POST /rest/bug`, `POST /rest/bug/{id}/comment` and `POST /rest/bug/{id}/attachment`.
extension BugzillaService {
    func createBug(_ call: BugzillaCall, login: String, _ state: inout BugzillaState) throws(BugzillaError) -> JSON {
        let body = try call.body("Bug.create")
        let product = Self.text(body["product"]) ?? ""
        guard let components = products[product] else {
            throw BugzillaError(code: 106, message:
                "Sorry, either the product '\(product)' does not exist or you aren't authorized to enter a bug into it.")
        }
        guard let component = Self.text(body["component"]), !component.isEmpty else {
            throw BugzillaError(code: 105, message: "You must select/enter a component.")
        }
        guard components.contains(component) else { throw .noSuch("component", component, product: product) }
        let summary = Self.text(body["summary"]) ?? ""
        try Self.checkSummary(summary)

        var scalars = Dictionary(uniqueKeysWithValues: BugRecord.scalarDefaults)
        for name in BugRecord.scalarNames {
            if let value = Self.text(body[name]) { scalars[name] = value }
        }
        scalars["creator"] = login
        scalars["status"] = "NEW"
        scalars["resolution"] = ""
        try Self.checkType(scalars["type"] ?? "")
        var lists: [String: [String]] = [:]
        for name in BugRecord.listNames {
            lists[name] = (body[name] as? [Any])?.compactMap(Self.text) ?? Self.text(body[name]).map { [$0] } ?? []
        }
        let id = state.nextBugID
        state.nextBugID += 1
        var bug = BugRecord(id: id, scalars: scalars, lists: lists, creationTime: call.now, lastChangeTime: call.now)
        let description = Self.text(body["description"]) ?? Self.text(body["comment"]) ?? ""
        appendComment(description, to: &bug, by: login, isPrivate: body["comment_is_private"] as? Bool ?? false,
                      isMarkdown: body["is_markdown"] as? Bool ?? false, at: call.now, &state)
        if let flags = body["flags"] {
            _ = try applyFlags(flags, to: &bug, by: login, at: call.now, &state)
        }
        state.bugs[id] = bug
        return .object([("id", .int(id))])
    }

    func addComment(_ id: Int, _ call: BugzillaCall, login: String, _ state: inout BugzillaState) throws(BugzillaError) -> JSON {
        let body = try call.body("Bug.add_comment")
        guard let text = Self.text(body["comment"]), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw BugzillaError(code: 50, message:
                "The function Bug.add_comment requires a comment argument, and that argument was not set.")
        }
        var bug = state.bugs[id]!
        let commentID = appendComment(text, to: &bug, by: login, isPrivate: body["is_private"] as? Bool ?? false,
                                      isMarkdown: body["is_markdown"] as? Bool ?? false, at: call.now, &state)
        bug.lastChangeTime = call.now
        state.bugs[id] = bug
        return .object([("id", .int(commentID))])
    }

    /// `data` is base64; `file_name`, `summary` and `content_type` are required, as on Bugzilla.
    func addAttachment(_ id: Int, _ call: BugzillaCall, login: String, _ state: inout BugzillaState) throws(BugzillaError) -> JSON {
        let body = try call.body("Bug.add_attachment")
        guard let fileName = Self.text(body["file_name"]), !fileName.isEmpty else {
            throw BugzillaError(code: 603, message: "You did not specify a file to attach.")
        }
        guard let summary = Self.text(body["summary"]), !summary.isEmpty else {
            throw BugzillaError(code: 604, message: "You must enter a description for the attachment.")
        }
        guard let contentType = Self.text(body["content_type"]), contentType.contains("/") else {
            throw BugzillaError(code: 601, message: "The content type '\(Self.text(body["content_type"]) ?? "")' is invalid.")
        }
        guard let data = Self.text(body["data"]).flatMap({ Data(base64Encoded: $0) }), !data.isEmpty else {
            throw BugzillaError(code: 606, message:
                "The file you are trying to attach is empty, does not exist, or you don't have permission to read it.")
        }
        var bug = state.bugs[id]!
        let attachmentID = state.nextAttachmentID
        state.nextAttachmentID += 1
        bug.attachments.append(AttachmentRecord(
            id: attachmentID, bugID: id, fileName: fileName, summary: summary, contentType: contentType, data: data,
            creator: login, created: call.now, isPatch: body["is_patch"] as? Bool ?? false))
        let note = Self.text(body["comment"]).map { "\n\n\($0)" } ?? ""
        appendComment("Created attachment \(attachmentID)\n\(summary)\(note)", to: &bug, by: login, isPrivate: false,
                      isMarkdown: false, at: call.now, attachment: attachmentID, &state)
        bug.lastChangeTime = call.now
        state.bugs[id] = bug
        return .object([("ids", .array([.int(attachmentID)]))])
    }

    /// Appends a comment, cut at `maxCommentLength` characters; returns its id.
    @discardableResult
    func appendComment(_ text: String, to bug: inout BugRecord, by login: String, isPrivate: Bool, isMarkdown: Bool,
                       at time: Date, attachment: Int? = nil, _ state: inout BugzillaState) -> Int {
        let id = state.nextCommentID
        state.nextCommentID += 1
        let cut = String(String.UnicodeScalarView(text.unicodeScalars.prefix(Self.maxCommentLength)))
        bug.comments.append(CommentRecord(
            id: id, bugID: bug.id, count: bug.comments.count, text: cut, creator: login, time: time,
            isPrivate: isPrivate, isMarkdown: isMarkdown, attachmentID: attachment))
        return id
    }

    static func checkSummary(_ summary: String) throws(BugzillaError) {
        let trimmed = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw BugzillaError(code: 107, message: "You must enter a summary for this bug.") }
        let length = trimmed.unicodeScalars.count
        guard length <= maxSummaryLength else {
            throw BugzillaError(code: 104, message: "The text you entered in the Summary field is too long "
                + "(\(length) characters, above the maximum length allowed of \(maxSummaryLength) characters).")
        }
    }

    static func checkType(_ type: String) throws(BugzillaError) {
        guard ["defect", "enhancement", "task"].contains(type) else { throw .noSuch("type", type) }
    }

    /// A string or a number from a JSON body, as text.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: string
        case let number as Int: String(number)
        default: nil
        }
    }
}
