import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Cooperations: proposed by either side, moved along `Workflow.cooperations`, each move one
/// write with its audit and outbox rows. Accepted and completed seats are counted on the
/// program and the demand (`seats_taken`, `headcount_taken`) in the move's transaction, with
/// both rows locked, program first, so concurrent accepts cannot overfill either.
extension Store {
    /// Who sees a cooperation: its two sides, the counties of either side, the bureau and viewers.
    /// Bound like every resource query: `$1` role, `$2` organization, `$3` county.
    static let cooperationVisible =
        "($1 IN ('bureau', 'viewer') OR r.enterprise_id = $2 OR r.college_id = $2"
        + " OR ($1 = 'county' AND (r.enterprise_region = $3 OR r.college_region = $3)))"

    public func proposeCooperation(_ input: CooperationInput, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let caller = actor.caller
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                SELECT p.college_id, p.modes, p.capacity, p.status = 'published' AND p.owner_active, c.region_code,
                       d.enterprise_id, d.mode, d.headcount, d.status = 'open' AND d.archived_at IS NULL AND d.owner_active,
                       e.region_code
                FROM programs p JOIN colleges c ON c.id = p.college_id,
                     demands d JOIN enterprises e ON e.id = d.enterprise_id
                WHERE p.id = \(sql.bind(input.programID)) AND d.id = \(sql.bind(input.demandID))
                """)
            let rows = try await connection.query(sql.query, logger: logger)
                .decode((UUID, [String], Int, Bool, String, UUID, String, Int, Bool, String).self).all()
            // Proposals are made between published programs and open demand (a side may name
            // its own draft: then the other side cannot see it, and it is refused alike).
            guard let (college, modes, capacity, published, collegeRegion, enterprise, demandMode, headcount, open, enterpriseRegion) = rows.first
            else { throw Self.unknownReference }
            let side: String
            if caller.organizationID == enterprise {
                side = "enterprise"
            } else if caller.organizationID == college {
                side = "college"
            } else {
                throw Problem.forbidden("a cooperation is proposed by the demand's enterprise or the program's college")
            }
            var errors: [FieldError] = []
            if !published { errors.append(FieldError(field: "program_id", message: "must name a published program")) }
            if !open { errors.append(FieldError(field: "demand_id", message: "must name an open demand")) }
            if input.mode.rawValue != demandMode || !modes.contains(input.mode.rawValue) {
                errors.append(FieldError(field: "mode", message: "must be the demand's mode (\(demandMode)) and one of the program's (\(modes.joined(separator: ", ")))"))
            }
            if input.seats > min(capacity, headcount) {
                errors.append(FieldError(field: "seats", message: "must be at most \(min(capacity, headcount)): the program's capacity and the demand's headcount"))
            }
            if !errors.isEmpty { throw Problem.invalid(errors) }
            let inserted = try await connection.query(
                """
                INSERT INTO cooperations AS r (demand_id, program_id, enterprise_id, college_id, enterprise_region, college_region,
                                               mode, seats, note, proposed_by)
                VALUES (\(input.demandID), \(input.programID), \(enterprise), \(college), \(enterpriseRegion), \(collegeRegion),
                        \(input.mode.rawValue), \(input.seats), \(input.note), \(side))
                RETURNING r.id, cooperation_doc(r)::text, r.version
                """, logger: logger
            ).decode((UUID, String, Int).self).all()
            let (id, json, version) = inserted[0]
            let event = ChangeEvent(
                objectType: "cooperation", action: "created", before: nil, after: try JSONValue.parse(Data(json.utf8)),
                feed: (.cooperation, false))
            return Written(id: id, document: Document(json: json, version: version), created: true, event: event)
        }
    }

    /// Either reference does not exist: the same 422 a draft gets, so ids reveal nothing.
    private static let unknownReference = Problem.invalid(
        [
            FieldError(field: "program_id", message: "must name a published program"),
            FieldError(field: "demand_id", message: "must name an open demand"),
        ], detail: "program_id or demand_id does not name a record that can cooperate")

    /// Moves a cooperation by `action` (accept, decline, withdraw, complete, terminate).
    public func moveCooperation(
        id: UUID, action: String, input: CooperationMoveInput, expected: ExpectedVersion, actor: WriteActor
    ) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let caller = actor.caller
            var sql = SQLComposer(caller: caller)
            sql.append(
                """
                SELECT cooperation_doc(r)::text, r.version, r.status, r.proposed_by, r.enterprise_id, r.college_id,
                       r.program_id, r.demand_id, r.seats
                FROM cooperations r WHERE r.id = \(sql.bind(id)) AND \(Self.cooperationVisible) FOR UPDATE
                """)
            let rows = try await connection.query(sql.query, logger: logger)
                .decode((String, Int, String, String, UUID, UUID, UUID, UUID, Int).self).all()
            guard let (json, version, statusText, proposedBy, enterprise, college, program, demand, seats) = rows.first else {
                throw Problem.notFound("cooperation \(id.text)")
            }
            var parties: Set<CooperationParty> = []
            let side = caller.organizationID == enterprise ? "enterprise" : caller.organizationID == college ? "college" : nil
            if let side { parties.insert(side == proposedBy ? .proposer : .otherSide) }
            if side == "college" { parties.insert(.college) }
            let status = CooperationStatus(rawValue: statusText) ?? .proposed
            let step = try Workflow.cooperations.require(
                action, by: parties, from: status, object: "cooperation", unknown: Problem.notFound("cooperation action \(action)"))
            if let expected, expected != version { throw Problem.stale(current: version) }
            let target = step.to[0]
            var related: [RelatedChange] = []
            if target.holdsSeats != status.holdsSeats {
                related = try await shiftSeats(program: program, demand: demand, by: target.holdsSeats ? seats : -seats, on: connection)
            }
            let updated = try await connection.query(
                """
                UPDATE cooperations r SET status = \(target.rawValue),
                    completed_on = coalesce(\(input.completedOn)::date, completed_on), trainees = coalesce(\(input.trainees), trainees),
                    termination_note = CASE WHEN \(action) = 'terminate' THEN \(input.note) ELSE termination_note END,
                    version = version + 1, updated_at = now()
                WHERE r.id = \(id) RETURNING cooperation_doc(r)::text, r.version
                """, logger: logger
            ).decode((String, Int).self).all()
            let (after, newVersion) = updated[0]
            var event = ChangeEvent(
                objectType: "cooperation", action: target.rawValue, before: try JSONValue.parse(Data(json.utf8)),
                after: try JSONValue.parse(Data(after.utf8)), feed: (.cooperation, false))
            event.related = related
            return Written(id: id, document: Document(json: after, version: newVersion), event: event)
        }
    }

    /// Takes or gives back seats on the program and headcount on the demand, both rows locked
    /// in one order (program, then demand); 409 when either has too little room left.
    private func shiftSeats(program: UUID, demand: UUID, by seats: Int, on connection: PostgresConnection) async throws -> [RelatedChange] {
        let room = try await connection.query(
            "SELECT capacity - seats_taken FROM programs WHERE id = \(program) FOR UPDATE", logger: logger
        ).decode(Int.self).all()
        let headroom = try await connection.query(
            "SELECT headcount - headcount_taken FROM demands WHERE id = \(demand) FOR UPDATE", logger: logger
        ).decode(Int.self).all()
        if seats > 0, let left = room.first, left < seats {
            throw Problem.conflict("the program has \(left) seats left; this cooperation needs \(seats)")
        }
        if seats > 0, let left = headroom.first, left < seats {
            throw Problem.conflict("the demand has \(left) of its headcount left; this cooperation needs \(seats)")
        }
        var related: [RelatedChange] = []
        for (resource, table, column, recordID) in [
            (Resource.programs, "programs", "seats_taken", program), (Resource.demands, "demands", "headcount_taken", demand),
        ] {
            var sql = SQLComposer()
            sql.append(
                "UPDATE \(table) r SET \(column) = \(column) + \(sql.bind(seats)) WHERE r.id = \(sql.bind(recordID)) RETURNING \(resource.returning)")
            let row = try await returningRow(sql, on: connection)
            related.append(RelatedChange(resource: resource, id: recordID, after: try row.value, isPublic: row.isPublic))
        }
        return related
    }

    public func cooperation(id: UUID, caller: Caller) async throws -> Document {
        try await visibleDocument("cooperation", id: id, caller: caller, visible: Self.cooperationVisible)
    }

    /// The caller's cooperations by id, filtered by `status`, `demand_id`, `program_id`,
    /// `enterprise_id` and `college_id`.
    public func cooperations(_ request: ListRequest, caller: Caller) async throws -> Page {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT cooperation_doc(r)::text, r.id FROM cooperations r WHERE \(Self.cooperationVisible)")
        try sql.appendFilters(
            request, of: "cooperations",
            [.oneOf("status", "r.status", CooperationStatus.self), .uuid("demand_id", "r.demand_id"), .uuid("program_id", "r.program_id"),
             .uuid("enterprise_id", "r.enterprise_id"), .uuid("college_id", "r.college_id")])
        return try await page(sql, after: request.after, limit: request.limit, key: "r.id")
    }
}
