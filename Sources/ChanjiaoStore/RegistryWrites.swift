import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A write's precondition: `If-Match` names the version the client last saw.
public typealias ExpectedVersion = Int?

extension Store {
    /// Locks a record for change and returns its whole document; 404 when the caller can't see
    /// it, 403 when it can but may not change it, 412 when `expected` is stale.
    func lockForWrite(
        _ resource: Resource, id: UUID, caller: Caller, expected: ExpectedVersion, on connection: PostgresConnection
    ) async throws -> JSONValue {
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            SELECT \(resource.document)::text, r.version, \(resource.writable)
            FROM \(resource.table) r WHERE r.id = \(sql.bind(id)) AND \(resource.visible) FOR UPDATE
            """)
        let rows = try await connection.query(sql.query, logger: logger).decode((String, Int, Bool).self).all()
        guard let (json, version, writable) = rows.first else { throw Problem.notFound("\(resource.singular) \(id.text)") }
        guard writable else { throw Problem.forbidden("only the owner of this \(resource.singular) or the bureau may change it") }
        if let expected, expected != version { throw Problem.stale(current: version) }
        return try JSONValue.parse(Data(json.utf8))
    }

    /// Rejects codes that are not in the reference data, each at its field path, in one query.
    /// The same on a connection of its own.
    func checkReferences(_ references: [CodeReference]) async throws {
        guard !references.isEmpty else { return }
        try await read { connection in try await checkReferences(references, on: connection) }
    }

    func checkReferences(_ references: [CodeReference], on connection: PostgresConnection) async throws {
        let missing = try await missingReferences(references, on: connection)
        guard !missing.isEmpty else { return }
        throw Problem.invalid(missing.map { references[$0] }.map { FieldError(field: $0.field, message: $0.message) })
    }

    /// The indices of the references whose code does not exist (or is a skill group), in one query.
    func missingReferences(_ references: [CodeReference], on connection: PostgresConnection) async throws -> [Int] {
        guard !references.isEmpty else { return [] }
        let kinds = references.map(\.kind.rawValue)
        let codes = references.map(\.code)
        return try await connection.query(
            """
            SELECT i::int FROM unnest(\(kinds)::text[], \(codes)::text[]) WITH ORDINALITY AS x(k, c, i)
            WHERE NOT CASE k
                WHEN 'region' THEN EXISTS (SELECT 1 FROM regions WHERE code = c)
                WHEN 'skill' THEN EXISTS (SELECT 1 FROM skills WHERE code = c AND parent IS NOT NULL)
                WHEN 'occupation' THEN EXISTS (SELECT 1 FROM occupations WHERE code = c)
                WHEN 'specialty' THEN EXISTS (SELECT 1 FROM specialties WHERE code = c)
            END
            ORDER BY i
            """, logger: logger
        ).decode(Int.self).all().map { $0 - 1 }
    }

    /// Marks a record archived (it stays readable and referable, and leaves the default lists).
    /// An archived organization's programs or demand leave the directory and matching with it.
    public func archive(_ resource: Resource, id: UUID, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        guard resource != .talents else { throw Problem.conflict("talent profiles are deleted at the source's request, not archived") }
        return try await write(actor) { connection in
            let current = try await lockForWrite(resource, id: id, caller: actor.caller, expected: expected, on: connection)
            let change = resource == .programs ? "status = 'archived'" : "archived_at = coalesce(archived_at, now())"
            var sql = SQLComposer(caller: actor.caller)
            sql.append(
                """
                UPDATE \(resource.table) r SET \(change), version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(resource.returning)
                """)
            var written = try Written.record(resource, action: "archived", before: current, row: try await returningRow(sql, on: connection))
            if (resource == .enterprises || resource == .colleges) && current["archived"] != .bool(true) {
                written.event.related = try await ownedRecords(of: resource, id: id, on: connection)
            }
            return written
        }
    }

    /// Runs a write statement that returns `Resource.returning`.
    func returningRow(_ sql: SQLComposer, on connection: PostgresConnection) async throws -> WrittenRow {
        let rows = try await connection.query(sql.query, logger: logger).decode((String, Int, Bool).self).all()
        guard let (json, version, isPublic) = rows.first else { throw Problem.notFound("record") }
        return WrittenRow(json: json, version: version, isPublic: isPublic)
    }
}

extension Array where Element == WeightedSkill {
    /// The stored form: `[{code, level}]`, or with weights for demand.
    func json(weighted: Bool) -> String {
        let items = map { skill in
            weighted
                ? "{\"code\":\"\(skill.code)\",\"level\":\(skill.level),\"weight\":\(skill.weight)}"
                : "{\"code\":\"\(skill.code)\",\"level\":\(skill.level)}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}

extension Contact {
    var json: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("null".utf8), as: UTF8.self) }
}
