import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The write path's recording in set form. An import changes tens of thousands of records;
/// sending each document to Swift to build its audit and outbox rows, and each row back, cost
/// more than the change itself. Instead the statement that changes them writes their rows, by
/// the rules `record` applies to one change: `AuditRecord.project` for the audit (the audited
/// fields, and for talents the names of the changed members) and `FeedRow` for the outbox (a
/// talent's row without name or phone; the owner and region the feed filters on).
/// `ImportRecordingTests` hold the two forms equal.
extension Store {
    /// Appends to `sql` the CTEs that write the audit and outbox rows of the records in the CTE
    /// `changes (id, created, before, after, is_public)`, documents as jsonb (`before` null when
    /// created), on behalf of `bulk`'s actor and stamped with its time.
    func appendRecording(_ resource: Resource, _ bulk: BulkWrite, to sql: inout SQLComposer) {
        let objectType = resource.singular
        let (actor, keys, now) = (bulk.actor, bulk.keys, bulk.now)
        let caller = actor.caller
        let fields = (AuditRecord.auditedFields[objectType] ?? []).map { sql.bind($0) + "::text" }
        func picked(_ document: String) -> String {
            "jsonb_build_object(" + fields.map { "\($0), \(document)->\($0)" }.joined(separator: ", ") + ")"
        }
        var after = picked("after")
        if AuditRecord.listsChangedFields.contains(objectType) {
            // Both documents come from one function, so they have the same members: a created
            // record changed them all.
            let members = keys.filter { !AuditRecord.bookkeeping.contains($0) }.sorted()
            let all = sql.bind(JSONValue.array(members.map(JSONValue.string)).text)
            let changed = members.map { key -> String in
                let name = sql.bind(key) + "::text"
                return "CASE WHEN after->\(name) IS DISTINCT FROM before->\(name) THEN \(name) END"
            }
            after += """
                 || jsonb_build_object('changed_fields', CASE WHEN before IS NULL THEN \(all)::jsonb
                    ELSE to_jsonb(array_remove(ARRAY[\(changed.joined(separator: ", "))]::text[], NULL)) END)
                """
        }
        let type = sql.bind(objectType)
        let stamp = sql.bind(now)
        sql.append(
            """
            ,
            audited AS (
                INSERT INTO audit_events (occurred_at, account_id, username, role, credential_kind, credential_id, action,
                                          object_type, object_id, request_id, before, after)
                SELECT \(stamp), \(sql.bind(caller.accountID)), \(sql.bind(caller.username)), \(sql.bind(caller.role?.rawValue)),
                       \(sql.bind(caller.credential.kind)), \(sql.bind(caller.credential.id)),
                       CASE WHEN created THEN 'created' ELSE 'updated' END, \(type), id, \(sql.bind(actor.requestID)),
                       CASE WHEN before IS NOT NULL THEN \(picked("before")) END, \(after)
                FROM changes),
            fed AS (
                INSERT INTO outbox_events (type, resource_type, resource_id, occurred_at, data, organization_id, region_code, source, is_public)
                SELECT \(type) || CASE WHEN created THEN '.created' ELSE '.updated' END, \(type), id, \(stamp),
                       \(FeedRow.data(resource, after: "after", sql: &sql)), \(FeedRow.organization(resource, id: "id", after: "after")),
                       after->>'region_code', \(FeedRow.source(resource, after: "after")), is_public
                FROM changes)
            """)
    }

    /// The members of a resource's document: what its document function makes of no row.
    func documentKeys(_ resource: Resource, on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT k FROM (VALUES (NULL::\(resource.table))) AS v(r), json_object_keys(\(resource.writtenDocument("r"))) AS k"),
            logger: logger
        ).decode(String.self).all()
    }
}

/// `FeedRow`'s rules for a changed (not deleted) registry record, as SQL over its jsonb document.
extension FeedRow {
    static func data(_ resource: Resource, after: String, sql: inout SQLComposer) -> String {
        resource == .talents ? "\(after) - \(sql.bind(personal.sorted()))::text[]" : after
    }

    static func organization(_ resource: Resource, id: String, after: String) -> String {
        switch resource {
        case .enterprises, .colleges: id
        case .programs: "(\(after)->>'college_id')::uuid"
        case .demands: "(\(after)->>'enterprise_id')::uuid"
        case .talents: "NULL::uuid"
        }
    }

    static func source(_ resource: Resource, after: String) -> String {
        resource == .talents ? "\(after)->>'source'" : "NULL::text"
    }
}
