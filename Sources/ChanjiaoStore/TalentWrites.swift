import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Talent profiles, written by their source partner (or the bureau) and deleted — not hidden —
/// at the source's request.
extension Store {
    public func createTalent(_ input: TalentInput, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        let source = try talentSource(input.source, caller: caller)
        return try await write(actor) { connection in
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append("INSERT INTO talents AS r (\(Self.talentColumns)) VALUES (\(talentValues(input, source: source, into: &sql)))")
            sql.append(" RETURNING \(Resource.talents.returning)")
            return try Written.record(.talents, action: "created", before: nil, row: try await returningRow(sql, on: connection), created: true)
        }
    }

    /// A partner's upsert by its own key; `created` tells a 201 from a 200.
    public func upsertTalent(
        source: String, externalID: String, body: JSONValue, expected: ExpectedVersion, actor: WriteActor
    ) async throws -> WriteOutcome {
        let caller = actor.caller
        guard case .object(var fields) = body else { throw Problem.invalid(field: "$", "must be a JSON object") }
        for (key, value) in ["source": source, "external_id": externalID] {
            if let given = fields[key], given != .string(value) {
                throw Problem.invalid(field: key, "must match the path (\(value)) or be left out")
            }
            fields[key] = .string(value)
        }
        let input = try TalentInput.read(.object(fields))
        _ = try talentSource(source, caller: caller)
        return try await write(actor) { connection in
            // Two upserts of a new key at once: the second waits and then updates what the
            // first created, recording an update, not a second creation.
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('talent:' || \(source) || '/' || \(externalID)))", logger: logger)
            try await checkReferences(input.references, on: connection)
            let existing = try await connection.query(
                "SELECT talent_doc(r, false)::text, version FROM talents r WHERE source = \(source) AND external_id = \(externalID) FOR UPDATE",
                logger: logger
            ).decode((String, Int).self).all()
            if let (_, version) = existing.first, let expected, expected != version { throw Problem.stale(current: version) }
            let before = try existing.first.map { try JSONValue.parse(Data($0.0.utf8)) }
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
                RETURNING \(Resource.talents.returning)
                """)
            let row = try await returningRow(sql, on: connection)
            return try Written.record(
                .talents, action: before == nil ? "created" : "updated", before: before, row: row, created: before == nil)
        }
    }

    public func updateTalent(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        return try await write(actor) { connection in
            let current = try await lockForWrite(.talents, id: id, caller: caller, expected: expected, on: connection)
            let input = try TalentInput.patched(current, with: patch)
            try await checkReferences(input.references, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append("UPDATE talents r SET (\(Self.talentColumns)) = (\(talentValues(input, source: input.source ?? "", into: &sql)))")
            sql.append(
                ", version = version + 1, updated_at = now() WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.talents.returning)")
            return try Written.record(.talents, action: "updated", before: current, row: try await returningRow(sql, on: connection))
        }
    }

    /// Erases a profile for good (PIPL): the personal fields do not survive anywhere — not in
    /// the row, not in a kept idempotent response, and never in the audit or the outbox.
    public func deleteTalent(id: UUID, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in try await erase(id, expected: expected, actor: actor, on: connection) }
    }

    /// The same, named by the partner's own key: its source (a partner deletes only its own) and
    /// its external id.
    public func deleteTalent(source: String, externalID: String, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        _ = try talentSource(source, caller: actor.caller)
        return try await write(actor) { connection in
            let found = try await connection.query(
                "SELECT id FROM talents WHERE source = \(source) AND external_id = \(externalID)", logger: logger
            ).decode(UUID.self).all()
            guard let id = found.first else { throw Problem.notFound("talent \(source)/\(externalID)") }
            return try await erase(id, expected: expected, actor: actor, on: connection)
        }
    }

    private func erase(_ id: UUID, expected: ExpectedVersion, actor: WriteActor, on connection: PostgresConnection) async throws -> Written {
        let current = try await lockForWrite(.talents, id: id, caller: actor.caller, expected: expected, on: connection)
        try await connection.query("DELETE FROM talents WHERE id = \(id)", logger: logger)
        try await connection.query(
            "DELETE FROM idempotency_keys WHERE resource_type = 'talent' AND resource_id = \(id)", logger: logger)
        let event = ChangeEvent(
            objectType: "talent", action: "deleted", before: current, after: nil, feed: (.registry(.talents), false))
        return Written(id: id, document: nil, event: event)
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

    /// Whose profiles these are: the caller's own source (a partner account's or a key's), or
    /// the one the bureau names. Which callers may write at all is the route's policy.
    func talentSource(_ given: String?, caller: Caller) throws -> String {
        if caller.isBureau {
            guard let given else { throw Problem.invalid(field: "source", "is required when the bureau creates a talent") }
            return given
        }
        guard let own = caller.source else { throw Problem.forbidden("this credential is bound to no talent source") }
        if let given, given != own { throw Problem.forbidden("partners write their own source (\(own)) only") }
        return own
    }
}
