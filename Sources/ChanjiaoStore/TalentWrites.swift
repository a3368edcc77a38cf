import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Talent profiles, written by their source partner (or the bureau) and deleted — not hidden —
/// at the source's request.
extension Store {
    public func createTalent(_ input: TalentInput, caller: Caller) async throws -> Document {
        let source = try talentSource(input.source, caller: caller)
        return try await transaction { connection in
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append("INSERT INTO talents AS r (\(Self.talentColumns)) VALUES (\(talentValues(input, source: source, into: &sql)))")
            sql.append(" RETURNING \(Resource.talents.document)::text, r.version")
            return try await returningDocument(sql, on: connection)
        }
    }

    /// A partner's upsert by its own key; `created` tells a 201 from a 200.
    public func upsertTalent(
        source: String, externalID: String, body: JSONValue, caller: Caller, expected: ExpectedVersion
    ) async throws -> (document: Document, created: Bool) {
        guard case .object(var fields) = body else { throw Problem.invalid(field: "$", "must be a JSON object") }
        for (key, value) in ["source": source, "external_id": externalID] {
            if let given = fields[key], given != .string(value) {
                throw Problem.invalid(field: key, "must match the path (\(value)) or be left out")
            }
            fields[key] = .string(value)
        }
        let input = try TalentInput.read(.object(fields))
        _ = try talentSource(source, caller: caller)
        return try await transaction { connection in
            try await checkReferences(input.references, on: connection)
            let existing = try await connection.query(
                "SELECT version FROM talents WHERE source = \(source) AND external_id = \(externalID) FOR UPDATE",
                logger: logger
            ).decode(Int.self).all()
            if let version = existing.first, let expected, expected != version { throw Problem.stale(current: version) }
            var sql = SQLComposer(caller: caller)
            sql.append("INSERT INTO talents AS r (\(Self.talentColumns)) VALUES (\(talentValues(input, source: source, into: &sql)))")
            sql.append(
                """
                 ON CONFLICT (source, external_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
                    skills = excluded.skills, specialty_code = excluded.specialty_code,
                    education_level = excluded.education_level, desired_occupation_codes = excluded.desired_occupation_codes,
                    region_codes = excluded.region_codes, available_from = excluded.available_from,
                    share_with_enterprises = excluded.share_with_enterprises, consent_given_at = excluded.consent_given_at,
                    version = r.version + 1, updated_at = now()
                RETURNING \(Resource.talents.document)::text, r.version
                """)
            let document = try await returningDocument(sql, on: connection)
            return (document, existing.isEmpty)
        }
    }

    public func updateTalent(id: UUID, patch: JSONValue, caller: Caller, expected: ExpectedVersion) async throws -> Document {
        try await transaction { connection in
            let current = try await lockForWrite(.talents, id: id, caller: caller, expected: expected, on: connection)
            let input = try TalentInput.patched(current, with: patch)
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append("UPDATE talents r SET (\(Self.talentColumns)) = (\(talentValues(input, source: input.source ?? "", into: &sql)))")
            sql.append(
                ", version = version + 1, updated_at = now() WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.talents.document)::text, r.version")
            return try await returningDocument(sql, on: connection)
        }
    }

    /// Erases a profile for good (PIPL): the personal fields do not survive anywhere.
    public func deleteTalent(id: UUID, caller: Caller, expected: ExpectedVersion) async throws {
        try await transaction { connection in
            _ = try await lockForWrite(.talents, id: id, caller: caller, expected: expected, on: connection)
            try await connection.query("DELETE FROM talents WHERE id = \(id)", logger: logger)
            try await audit(caller, action: "delete", object: .talents, id: id, on: connection)
        }
    }

    private static let talentColumns = """
        source, external_id, name, phone, skills, specialty_code, education_level, desired_occupation_codes,
        region_codes, available_from, share_with_enterprises, consent_given_at
        """

    private func talentValues(_ input: TalentInput, source: String, into sql: inout SQLComposer) -> String {
        [
            sql.bind(source), sql.bind(input.externalID), sql.bind(input.name), sql.bind(input.phone),
            sql.bind(input.skills.json(weighted: false)) + "::jsonb", sql.bind(input.specialtyCode),
            sql.bind(input.educationLevel.rawValue), sql.bind(input.desiredOccupationCodes) + "::text[]",
            sql.bind(input.regionCodes) + "::text[]", sql.bind(input.availableFrom) + "::date",
            sql.bind(input.shareWithEnterprises), sql.bind(input.consentGivenAt),
        ].joined(separator: ", ")
    }

    /// Partners write their own source's profiles; the bureau names the source.
    private func talentSource(_ given: String?, caller: Caller) throws -> String {
        try caller.requireSignedIn()
        switch caller.role {
        case .bureau:
            guard let given else { throw Problem.invalid(field: "source", "is required when the bureau creates a talent") }
            return given
        case .partner:
            guard let own = caller.source else { throw Problem.forbidden("this partner account has no source") }
            if let given, given != own { throw Problem.forbidden("partners write their own source (\(own)) only") }
            return own
        default:
            throw Problem.forbidden("only partners and the bureau write talent profiles")
        }
    }
}
