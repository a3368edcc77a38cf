import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Enterprises and colleges: created by the bureau or by self-registration (then `pending`
/// until the bureau verifies them), edited by themselves and the bureau.
extension Store {
    public func createEnterprise(_ input: EnterpriseInput, status: OrganizationStatus, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            try await insertEnterprise(input, status: status, caller: actor.caller, on: connection)
        }
    }

    func insertEnterprise(
        _ input: EnterpriseInput, status: OrganizationStatus, caller: Caller, on connection: PostgresConnection
    ) async throws -> Written {
        if input.usccOverride && !caller.isBureau {
            throw Problem.forbidden("only the bureau may register a code that fails the check (uscc_override)")
        }
        try await checkReferences(input.references, on: connection)
        try await requireUSCCFree(input.uscc, caller: caller, on: connection)
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            INSERT INTO enterprises AS r (name, uscc, uscc_override, region_code, industry_code, size, address, contact,
                                          status, verified_at)
            VALUES (\(sql.bind(input.name)), \(sql.bind(input.uscc)), \(sql.bind(input.usccOverride)),
                    \(sql.bind(input.regionCode)), \(sql.bind(input.industryCode)), \(sql.bind(input.size.rawValue)),
                    \(sql.bind(input.address)), \(sql.bind(input.contact?.json))::jsonb, \(sql.bind(status.rawValue)),
                    CASE WHEN \(sql.bind(status.rawValue)) = 'active' THEN now() END)
            RETURNING \(Resource.enterprises.returning)
            """)
        return try Written.record(.enterprises, action: "created", before: nil, row: try await returningRow(sql, on: connection), created: true)
    }

    /// 409 when another enterprise has the code: only the bureau learns which one
    /// (`existing_id`); others just learn that it is taken.
    private func requireUSCCFree(_ uscc: String, caller: Caller, on connection: PostgresConnection) async throws {
        let existing = try await connection.query("SELECT id FROM enterprises WHERE uscc = \(uscc)", logger: logger).decode(UUID.self).all()
        guard let other = existing.first else { return }
        throw caller.isBureau
            ? Problem.conflict("enterprise \(other.text) already has this unified social credit code", extensions: ["existing_id": other.uuidString.lowercased()])
            : Problem.conflict("an enterprise with this unified social credit code is already registered")
    }

    public func updateEnterprise(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let caller = actor.caller
            let current = try await lockForWrite(.enterprises, id: id, caller: caller, expected: expected, on: connection)
            let input = try EnterpriseInput.patched(current, with: patch)
            if !caller.isBureau, patch["uscc_override"] != nil {
                throw Problem.forbidden("only the bureau may set uscc_override")
            }
            try Self.requireIdentityUnchanged(current, patch: patch, fields: ["uscc", "name", "region_code"], caller: caller)
            try await checkReferences(input.references, on: connection)
            if current["uscc"] != .string(input.uscc) { try await requireUSCCFree(input.uscc, caller: caller, on: connection) }
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE enterprises r SET name = \(sql.bind(input.name)), uscc = \(sql.bind(input.uscc)),
                    uscc_override = \(sql.bind(input.usccOverride)), region_code = \(sql.bind(input.regionCode)),
                    industry_code = \(sql.bind(input.industryCode)), size = \(sql.bind(input.size.rawValue)),
                    address = \(sql.bind(input.address)), contact = \(sql.bind(input.contact?.json))::jsonb,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.enterprises.returning)
                """)
            return try Written.record(.enterprises, action: "updated", before: current, row: try await returningRow(sql, on: connection))
        }
    }

    public func createCollege(_ input: CollegeInput, status: OrganizationStatus, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            try await insertCollege(input, status: status, caller: actor.caller, on: connection)
        }
    }

    func insertCollege(
        _ input: CollegeInput, status: OrganizationStatus, caller: Caller, on connection: PostgresConnection
    ) async throws -> Written {
        try await checkReferences(input.references, on: connection)
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            INSERT INTO colleges AS r (name, school_code, kind, region_code, address, contact, status, verified_at)
            VALUES (\(sql.bind(input.name)), \(sql.bind(input.schoolCode)), \(sql.bind(input.kind.rawValue)),
                    \(sql.bind(input.regionCode)), \(sql.bind(input.address)), \(sql.bind(input.contact?.json))::jsonb,
                    \(sql.bind(status.rawValue)), CASE WHEN \(sql.bind(status.rawValue)) = 'active' THEN now() END)
            RETURNING \(Resource.colleges.returning)
            """)
        return try Written.record(.colleges, action: "created", before: nil, row: try await returningRow(sql, on: connection), created: true)
    }

    public func updateCollege(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let caller = actor.caller
            let current = try await lockForWrite(.colleges, id: id, caller: caller, expected: expected, on: connection)
            let input = try CollegeInput.patched(current, with: patch)
            try Self.requireIdentityUnchanged(current, patch: patch, fields: ["name", "school_code", "region_code"], caller: caller)
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE colleges r SET name = \(sql.bind(input.name)), school_code = \(sql.bind(input.schoolCode)),
                    kind = \(sql.bind(input.kind.rawValue)), region_code = \(sql.bind(input.regionCode)),
                    address = \(sql.bind(input.address)), contact = \(sql.bind(input.contact?.json))::jsonb,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.colleges.returning)
                """)
            return try Written.record(.colleges, action: "updated", before: current, row: try await returningRow(sql, on: connection))
        }
    }

    /// Once verified, an organization's identity is the bureau's to change: the organization's
    /// own PATCH of those fields is a 403 naming them (sending the current value is no change).
    static func requireIdentityUnchanged(_ current: JSONValue, patch: JSONValue, fields: [String], caller: Caller) throws {
        guard !caller.isBureau, current["verified_at"] != nil, current["verified_at"] != .null,
            case .object(let changes) = patch
        else { return }
        let touched = fields.filter { field in changes[field].map { $0 != current[field] } ?? false }
        guard !touched.isEmpty else { return }
        throw Problem(
            .forbidden, title: "无权操作 (forbidden)",
            detail: "a verified organization's \(touched.joined(separator: ", ")) can be changed by the bureau only",
            errors: touched.map { FieldError(field: $0, message: "is changed by the bureau only once the organization is verified") })
    }

    /// A move of the organization workflow: verify, reject, suspend, reinstate, resubmit.
    public func transition(
        _ resource: Resource, id: UUID, _ move: OrganizationMove, reason: String?, expected: ExpectedVersion, actor: WriteActor
    ) async throws -> WriteOutcome {
        precondition(resource == .enterprises || resource == .colleges)
        return try await write(actor) { connection in
            let caller = actor.caller
            let current = try await lockForWrite(resource, id: id, caller: caller, expected: expected, on: connection)
            guard case .string(let text)? = current["status"], let status = OrganizationStatus(rawValue: text),
                status == move.from
            else {
                throw Problem.conflict(
                    "only a \(move.from.rawValue) \(resource.singular) can be \(move.event); this one is \(current["status"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "unknown")")
            }
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE \(resource.table) r SET status = \(sql.bind(move.to.rawValue)), status_reason = \(sql.bind(reason)),
                    verified_at = CASE WHEN \(sql.bind(move == .verify)) THEN now() ELSE verified_at END,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(resource.returning)
                """)
            var written = try Written.record(resource, action: move.event, before: current, row: try await returningRow(sql, on: connection))
            if (move.from == .active) != (move.to == .active) {
                written.event.related = try await ownedRecords(of: resource, id: id, on: connection)
            }
            return written
        }
    }

    /// An organization's programs (a college's) or demand (an enterprise's), which the triggers
    /// (`sql/0007`, `sql/0018`) made public or not with it when its status or archival changed.
    func ownedRecords(of resource: Resource, id: UUID, on connection: PostgresConnection) async throws -> [RelatedChange] {
        let (owned, column) = resource == .colleges ? (Resource.programs, "college_id") : (Resource.demands, "enterprise_id")
        var related = SQLComposer("SELECT r.id, \(owned.returning) FROM \(owned.table) r WHERE r.\(column) = ")
        related.append(related.bind(id))
        let rows = try await connection.query(related.query, logger: logger).decode((UUID, String, Int, Bool).self).all()
        return try rows.map { row in
            RelatedChange(resource: owned, id: row.0, after: try JSONValue.parse(Data(row.1.utf8)), isPublic: row.3)
        }
    }
}
