import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The audit log: read by the bureau, newest first; written only by `Store.write` (and by
/// `auditPersonalRead` for reads of unmasked personal data).
extension Store {
    /// Filters: `actor` (an account id or a username), `object_type`, `object_id`, `action`,
    /// `from` (inclusive) and `to` (exclusive) as timestamps.
    public func auditEvents(_ request: ListRequest) async throws -> Page {
        var sql = SQLComposer("SELECT audit_event_doc(e)::text, e.id FROM audit_events e WHERE true")
        var errors: [FieldError] = []
        for (name, value) in request.filters.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "actor":
                if !(1...64).contains(value.count) {
                    errors.append(FieldError(field: name, message: "must be an account id or a username of 1 to 64 characters"))
                } else if let id = UUID(uuidString: value) {
                    sql.append(" AND e.account_id = \(sql.bind(id))")
                } else {
                    sql.append(" AND e.username = \(sql.bind(value.lowercased()))")
                }
            case "object_type":
                if AuditRecord.objectTypes.contains(value) {
                    sql.append(" AND e.object_type = \(sql.bind(value))")
                } else {
                    errors.append(FieldError(field: name, message: "must be one of: \(AuditRecord.objectTypes.joined(separator: ", "))"))
                }
            case "object_id":
                if let id = UUID(uuidString: value) {
                    sql.append(" AND e.object_id = \(sql.bind(id))")
                } else {
                    errors.append(FieldError(field: name, message: "must be a UUID"))
                }
            case "action":
                if AuditRecord.actions.contains(value) {
                    sql.append(" AND e.action = \(sql.bind(value))")
                } else {
                    errors.append(FieldError(field: name, message: "must be one of: \(AuditRecord.actions.joined(separator: ", "))"))
                }
            case "from", "to":
                if let time = Timestamp.parse(value) {
                    sql.append(" AND e.occurred_at \(name == "from" ? ">=" : "<") \(sql.bind(time))")
                } else {
                    errors.append(FieldError(field: name, message: "must be an ISO 8601 timestamp such as 2026-11-29T08:00:00Z"))
                }
            default:
                errors.append(FieldError(field: name, message: "is not a filter of audit events; use actor, object_type, object_id, action, from or to"))
            }
        }
        if request.query != nil { errors.append(FieldError(field: "q", message: "audit events have no text search")) }
        if request.archived { errors.append(FieldError(field: "archived", message: "audit events are never archived")) }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return try await page(sql, after: request.after, limit: request.limit, key: "e.id", as: Int64.self, descending: true)
    }

    /// One audit row per request that showed unmasked personal data (a talent's name and
    /// phone, to the bureau or the source partner), naming the talents shown.
    public func auditPersonalRead(talents ids: [UUID], actor: WriteActor) async throws {
        guard !ids.isEmpty else { return }
        try await auditPersonalRead(
            after: .object(["talent_ids": .array(ids.map { .string($0.uuidString.lowercased()) })]), objectID: ids.count == 1 ? ids[0] : nil,
            actor: actor)
    }

    /// One `read_personal` row: what was read (`after`), and the talent when it was one.
    func auditPersonalRead(after: JSONValue, objectID: UUID?, actor: WriteActor) async throws {
        let caller = actor.caller
        let after = Self.jsonText(after)
        try await read { connection in
            try await connection.query(
                """
                INSERT INTO audit_events (occurred_at, account_id, username, role, credential_kind, credential_id, action,
                                          object_type, object_id, request_id, after)
                VALUES (\(clock.now()), \(caller.accountID), \(caller.username), \(caller.role?.rawValue), \(caller.credential.kind),
                        \(caller.credential.id), 'read_personal', 'talent', \(objectID), \(actor.requestID),
                        \(after)::jsonb)
                """, logger: logger)
        }
    }
}

extension Store {
    /// Audits the talents among `items` (talent documents as served) that the caller saw with
    /// name and phone unmasked: all of them for the bureau, its own source's for a partner.
    public func auditUnmaskedTalents(_ items: [String], actor: WriteActor) async throws {
        let caller = actor.caller
        guard caller.isBureau || caller.source != nil else { return }
        var ids: [UUID] = []
        for item in items {
            guard let document = try? JSONValue.parse(Data(item.utf8)), case .string(let text)? = document["id"],
                let id = UUID(uuidString: text)
            else { continue }
            if caller.isBureau || document["source"] == .string(caller.source ?? "") { ids.append(id) }
        }
        try await auditPersonalRead(talents: ids, actor: actor)
    }

    /// The same for talent documents keyed by id, audited in the order of `ids`. The bureau saw
    /// every one unmasked, so its audit needs no document read (parsing them was a sixth of a
    /// recommendation's time); a partner's is decided by each document's `source`.
    public func auditUnmaskedTalents(ids: [UUID], documents: [UUID: String], actor: WriteActor) async throws {
        guard actor.caller.isBureau else {
            return try await auditUnmaskedTalents(ids.compactMap { documents[$0] }, actor: actor)
        }
        try await auditPersonalRead(talents: ids.filter { documents[$0] != nil }, actor: actor)
    }
}
