import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Programs (what colleges offer) and demand (what enterprises need). Each belongs to one
/// organization; only an active organization publishes.
extension Store {
    public func createProgram(_ input: ProgramInput, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        let collegeID = try Self.owner(input.collegeID, field: "college_id", role: .college, caller: caller)
        return try await write(actor) { connection in
            try await checkReferences(input.references, on: connection)
            try await requireOwner(.colleges, id: collegeID, field: "college_id", publishing: input.status == .published, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                INSERT INTO programs AS r (college_id, title, specialty_code, level, skills, capacity, modes, region_code,
                                           starts_on, ends_on, status, external_id)
                VALUES (\(sql.bind(collegeID)), \(sql.bind(input.title)), \(sql.bind(input.specialtyCode)),
                        \(sql.bind(input.level.rawValue)), \(sql.bind(input.skills.json(weighted: false)))::jsonb,
                        \(sql.bind(input.capacity)), \(sql.bind(input.modes.map(\.rawValue)))::text[],
                        \(sql.bind(input.regionCode)), \(sql.bind(input.startsOn))::date, \(sql.bind(input.endsOn))::date,
                        \(sql.bind(input.status.rawValue)), \(sql.bind(input.externalID)))
                RETURNING \(Resource.programs.returning)
                """)
            return try Written.record(.programs, action: "created", before: nil, row: try await returningRow(sql, on: connection), created: true)
        }
    }

    public func updateProgram(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        return try await write(actor) { connection in
            let current = try await lockForWrite(.programs, id: id, caller: caller, expected: expected, on: connection)
            guard case .object(let fields) = current, fields["status"] != .string("archived") else {
                throw Problem.conflict("an archived program cannot be changed")
            }
            let input = try ProgramInput.patched(current, with: patch)
            try Self.requireRoom(input.capacity, current, total: "capacity", remaining: "remaining_seats", what: "seats")
            try await checkReferences(input.references, on: connection)
            if input.status == .published, let collegeID = input.collegeID {
                try await requireOwner(.colleges, id: collegeID, field: "college_id", publishing: true, on: connection)
            }
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE programs r SET title = \(sql.bind(input.title)), specialty_code = \(sql.bind(input.specialtyCode)),
                    level = \(sql.bind(input.level.rawValue)), skills = \(sql.bind(input.skills.json(weighted: false)))::jsonb,
                    capacity = \(sql.bind(input.capacity)), modes = \(sql.bind(input.modes.map(\.rawValue)))::text[],
                    region_code = \(sql.bind(input.regionCode)), starts_on = \(sql.bind(input.startsOn))::date,
                    ends_on = \(sql.bind(input.endsOn))::date, status = \(sql.bind(input.status.rawValue)),
                    external_id = \(sql.bind(input.externalID)), version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.programs.returning)
                """)
            return try Written.record(.programs, action: "updated", before: current, row: try await returningRow(sql, on: connection))
        }
    }

    public func createDemand(_ input: DemandInput, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        let enterpriseID = try Self.owner(input.enterpriseID, field: "enterprise_id", role: .enterprise, caller: caller)
        return try await write(actor) { connection in
            try await checkReferences(input.references, on: connection)
            try await requireOwner(.enterprises, id: enterpriseID, field: "enterprise_id", publishing: input.status == .open, on: connection)
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                INSERT INTO demands AS r (enterprise_id, title, occupation_code, skills, headcount, min_level, mode,
                                          region_code, starts_on, ends_on, status, external_id)
                VALUES (\(sql.bind(enterpriseID)), \(sql.bind(input.title)), \(sql.bind(input.occupationCode)),
                        \(sql.bind(input.skills.json(weighted: true)))::jsonb, \(sql.bind(input.headcount)),
                        \(sql.bind(input.minLevel.rawValue)), \(sql.bind(input.mode.rawValue)), \(sql.bind(input.regionCode)),
                        \(sql.bind(input.startsOn))::date, \(sql.bind(input.endsOn))::date, \(sql.bind(input.status.rawValue)),
                        \(sql.bind(input.externalID)))
                RETURNING \(Resource.demands.returning)
                """)
            return try Written.record(.demands, action: "created", before: nil, row: try await returningRow(sql, on: connection), created: true)
        }
    }

    public func updateDemand(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        let caller = actor.caller
        return try await write(actor) { connection in
            let current = try await lockForWrite(.demands, id: id, caller: caller, expected: expected, on: connection)
            guard case .object(let fields) = current, fields["archived"] != .bool(true) else {
                throw Problem.conflict("an archived demand cannot be changed")
            }
            let input = try DemandInput.patched(current, with: patch)
            try Self.requireRoom(input.headcount, current, total: "headcount", remaining: "remaining_headcount", what: "headcount")
            try await checkReferences(input.references, on: connection)
            if input.status == .open, let enterpriseID = input.enterpriseID {
                try await requireOwner(.enterprises, id: enterpriseID, field: "enterprise_id", publishing: true, on: connection)
            }
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                UPDATE demands r SET title = \(sql.bind(input.title)), occupation_code = \(sql.bind(input.occupationCode)),
                    skills = \(sql.bind(input.skills.json(weighted: true)))::jsonb, headcount = \(sql.bind(input.headcount)),
                    min_level = \(sql.bind(input.minLevel.rawValue)), mode = \(sql.bind(input.mode.rawValue)),
                    region_code = \(sql.bind(input.regionCode)), starts_on = \(sql.bind(input.startsOn))::date,
                    ends_on = \(sql.bind(input.endsOn))::date, status = \(sql.bind(input.status.rawValue)),
                    external_id = \(sql.bind(input.externalID)), version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING \(Resource.demands.returning)
                """)
            return try Written.record(.demands, action: "updated", before: current, row: try await returningRow(sql, on: connection))
        }
    }

    /// A capacity or headcount may not drop below what accepted cooperations hold.
    static func requireRoom(_ value: Int, _ current: JSONValue, total: String, remaining: String, what: String) throws {
        guard case .int(let before)? = current[total], case .int(let left)? = current[remaining] else { return }
        let taken = before - left
        if value < taken {
            throw Problem.invalid(field: total, "must be at least \(taken): accepted cooperations hold that many \(what)")
        }
    }

    /// The organization a new record belongs to: the caller's own (an account's organization,
    /// a key's college), or the one the bureau names. Which callers may create at all is the
    /// route's policy; this decides only whose record it is.
    static func owner(_ given: UUID?, field: String, role: Role, caller: Caller) throws -> UUID {
        if caller.isBureau {
            guard let given else { throw Problem.invalid(field: field, "is required when the bureau creates the record") }
            return given
        }
        guard let own = caller.organizationID else { throw Problem.forbidden("this credential acts for no \(role.rawValue)") }
        if let given, given != own { throw Problem.forbidden("\(role.rawValue)s write their own records only") }
        return own
    }

    /// The owning organization must exist, and must be active to publish. Its row is share-
    /// locked, so a suspension cannot commit between this check and the write.
    private func requireOwner(
        _ resource: Resource, id: UUID, field: String, publishing: Bool, on connection: PostgresConnection
    ) async throws {
        var sql = SQLComposer()
        sql.append("SELECT status, archived_at IS NOT NULL FROM \(resource.table) WHERE id = \(sql.bind(id)) FOR SHARE")
        let rows = try await connection.query(sql.query, logger: logger).decode((String, Bool).self).all()
        guard let (status, archived) = rows.first else {
            throw Problem.invalid(field: field, "\(resource.singular) \(id.text) does not exist")
        }
        if publishing && (status != OrganizationStatus.active.rawValue || archived) {
            throw Problem.conflict(
                "the \(resource.singular) is \(archived ? "archived" : status); only an active, verified \(resource.singular) publishes")
        }
    }
}
