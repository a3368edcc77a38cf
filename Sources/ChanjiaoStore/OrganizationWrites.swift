import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Enterprises and colleges: created by the bureau or by self-registration (then `pending`
/// until the bureau verifies them), edited by themselves and the bureau.
extension Store {
    public func createEnterprise(
        _ input: EnterpriseInput, status: OrganizationStatus, caller: Caller
    ) async throws -> Document {
        try await transaction { connection in
            try await insertEnterprise(input, status: status, caller: caller, on: connection)
        }
    }

    func insertEnterprise(
        _ input: EnterpriseInput, status: OrganizationStatus, caller: Caller, on connection: PostgresConnection
    ) async throws -> Document {
        if input.usccOverride && !caller.isBureau {
            throw Problem.forbidden("only the bureau may register a code that fails the check (uscc_override)")
        }
        try await checkReferences(input.references, on: connection)
        let existing = try await connection.query(
            "SELECT id FROM enterprises WHERE uscc = \(input.uscc)", logger: logger
        ).decode(UUID.self).all()
        if let id = existing.first {
            // Only the bureau learns which record it is; others just learn the code is taken.
            throw caller.isBureau
                ? Problem.conflict("enterprise \(id) already has this unified social credit code", extensions: ["existing_id": id.uuidString.lowercased()])
                : Problem.conflict("an enterprise with this unified social credit code is already registered")
        }
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            INSERT INTO enterprises AS r (name, uscc, uscc_override, region_code, industry_code, size, address, contact, status)
            VALUES (\(sql.bind(input.name)), \(sql.bind(input.uscc)), \(sql.bind(input.usccOverride)),
                    \(sql.bind(input.regionCode)), \(sql.bind(input.industryCode)), \(sql.bind(input.size.rawValue)),
                    \(sql.bind(input.address)), \(sql.bind(input.contact?.json))::jsonb, \(sql.bind(status.rawValue)))
            RETURNING enterprise_doc(r, true)::text, r.version, r.id
            """)
        let rows = try await connection.query(sql.query, logger: logger).decode((String, Int, UUID).self).all()
        let (json, version, id) = rows[0]
        if input.usccOverride {
            try await audit(caller, action: "uscc_override", object: .enterprises, id: id, detail: ["uscc": input.uscc], on: connection)
        }
        return Document(json: json, version: version)
    }

    public func updateEnterprise(id: UUID, patch: JSONValue, caller: Caller, expected: ExpectedVersion) async throws -> Document {
        try await transaction { connection in
            let current = try await lockForWrite(.enterprises, id: id, caller: caller, expected: expected, on: connection)
            let input = try EnterpriseInput.patched(current, with: patch)
            if !caller.isBureau, case .object(let changes) = patch, changes["uscc_override"] != nil {
                throw Problem.forbidden("only the bureau may set uscc_override")
            }
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE enterprises r SET name = \(sql.bind(input.name)), uscc = \(sql.bind(input.uscc)),
                    uscc_override = \(sql.bind(input.usccOverride)), region_code = \(sql.bind(input.regionCode)),
                    industry_code = \(sql.bind(input.industryCode)), size = \(sql.bind(input.size.rawValue)),
                    address = \(sql.bind(input.address)), contact = \(sql.bind(input.contact?.json))::jsonb,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING enterprise_doc(r, true)::text, r.version
                """)
            return try await returningDocument(sql, on: connection)
        }
    }

    public func createCollege(_ input: CollegeInput, status: OrganizationStatus, caller: Caller) async throws -> Document {
        try await transaction { connection in
            try await insertCollege(input, status: status, caller: caller, on: connection)
        }
    }

    func insertCollege(
        _ input: CollegeInput, status: OrganizationStatus, caller: Caller, on connection: PostgresConnection
    ) async throws -> Document {
        try await checkReferences(input.references, on: connection)
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            INSERT INTO colleges AS r (name, school_code, kind, region_code, address, contact, status)
            VALUES (\(sql.bind(input.name)), \(sql.bind(input.schoolCode)), \(sql.bind(input.kind.rawValue)),
                    \(sql.bind(input.regionCode)), \(sql.bind(input.address)), \(sql.bind(input.contact?.json))::jsonb,
                    \(sql.bind(status.rawValue)))
            RETURNING college_doc(r, true)::text, r.version
            """)
        return try await returningDocument(sql, on: connection)
    }

    public func updateCollege(id: UUID, patch: JSONValue, caller: Caller, expected: ExpectedVersion) async throws -> Document {
        try await transaction { connection in
            let current = try await lockForWrite(.colleges, id: id, caller: caller, expected: expected, on: connection)
            let input = try CollegeInput.patched(current, with: patch)
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE colleges r SET name = \(sql.bind(input.name)), school_code = \(sql.bind(input.schoolCode)),
                    kind = \(sql.bind(input.kind.rawValue)), region_code = \(sql.bind(input.regionCode)),
                    address = \(sql.bind(input.address)), contact = \(sql.bind(input.contact?.json))::jsonb,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING college_doc(r, true)::text, r.version
                """)
            return try await returningDocument(sql, on: connection)
        }
    }

    /// The bureau's verification: `pending` → `active`. Only active organizations publish.
    public func verify(_ resource: Resource, id: UUID, caller: Caller, expected: ExpectedVersion) async throws -> Document {
        try caller.requireBureau()
        precondition(resource == .enterprises || resource == .colleges)
        return try await transaction { connection in
            let current = try await lockForWrite(resource, id: id, caller: caller, expected: expected, on: connection)
            guard case .object(let fields) = current, fields["status"] == .string("pending") else {
                throw Problem.conflict("only a pending \(resource.singular) can be verified")
            }
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE \(resource.table) r SET status = 'active', version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(resource.document)::text, r.version
                """)
            let document = try await returningDocument(sql, on: connection)
            try await audit(caller, action: "verify", object: resource, id: id, on: connection)
            return document
        }
    }
}
