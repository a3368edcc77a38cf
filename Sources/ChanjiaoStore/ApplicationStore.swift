import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Certification applications: created and edited by the enterprise, moved along
/// `Workflow.applications`, each move one write with its history, audit and outbox rows. An
/// approval creates the certification and its reward in the same transaction.
extension Store {
    /// Who sees an application: its enterprise, its county, the bureau and viewers. Bound like
    /// every resource query: `$1` role, `$2` organization, `$3` county.
    static let applicationVisible =
        "($1 IN ('bureau', 'viewer') OR r.enterprise_id = $2 OR ($1 = 'county' AND r.region_code = $3))"

    public func createApplication(_ input: ApplicationInput, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            guard let enterprise = actor.caller.organizationID, actor.caller.role == .enterprise else {
                throw Problem.forbidden("an application is made by the enterprise itself")
            }
            try await checkCitedCooperations(input.materials, enterprise: enterprise, on: connection)
            let rows = try await connection.query(
                """
                INSERT INTO applications AS r (enterprise_id, region_code, level, year, materials)
                SELECT e.id, e.region_code, \(input.level.rawValue), \(input.year), \(Self.jsonText(input.materials))::jsonb
                FROM enterprises e WHERE e.id = \(enterprise)
                ON CONFLICT (enterprise_id, level, year) WHERE status NOT IN ('withdrawn', 'rejected', 'approved') DO NOTHING
                RETURNING r.id, application_doc(r)::text, r.version
                """, logger: logger
            ).decode((UUID, String, Int).self).all()
            guard let (id, json, version) = rows.first else {
                throw Problem.conflict("the enterprise already has an open \(input.level.rawValue) application for \(input.year)")
            }
            let event = ChangeEvent(
                objectType: "application", action: "created", before: nil, after: try JSONValue.parse(Data(json.utf8)),
                feed: (.application, false))
            return Written(id: id, document: Document(json: json, version: version), created: true, event: event)
        }
    }

    /// A merge patch of level, year and materials, by the enterprise while `draft` or `returned`.
    public func patchApplication(id: UUID, patch: JSONValue, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let current = try await lockApplication(id, caller: actor.caller, on: connection)
            guard actor.caller.role == .enterprise, actor.caller.organizationID == current.enterprise else {
                throw Problem.forbidden("only the applying enterprise edits its application")
            }
            guard [.draft, .returned].contains(current.status) else {
                throw Problem.conflict("a \(current.status.rawValue) application cannot be edited (only a draft or returned one)")
            }
            if let expected, expected != current.version { throw Problem.stale(current: current.version) }
            let input = try ApplicationInput.patched(current.input, with: patch)
            try await checkCitedCooperations(input.materials, enterprise: current.enterprise, on: connection)
            let rows = try await connection.query(
                """
                UPDATE applications r SET level = \(input.level.rawValue), year = \(input.year),
                    materials = \(Self.jsonText(input.materials))::jsonb, version = version + 1, updated_at = now()
                WHERE r.id = \(id) RETURNING application_doc(r)::text, r.version
                """, logger: logger
            ).decode((String, Int).self).all()
            let (json, version) = rows[0]
            let event = ChangeEvent(
                objectType: "application", action: "updated", before: current.document, after: try JSONValue.parse(Data(json.utf8)),
                feed: (.application, false))
            return Written(id: id, document: Document(json: json, version: version), event: event)
        }
    }

    /// One step of `Workflow.applications` by the caller, with its rules: completeness at
    /// `submit`, the county's quota at `recommend`, the certification and reward at an approval.
    public func moveApplication(
        id: UUID, transition: ApplicationTransition, expected: ExpectedVersion, actor: WriteActor
    ) async throws -> WriteOutcome {
        let today = ChinaDay(clock.now())
        return try await write(actor) { connection in
            let caller = actor.caller
            let current = try await lockApplication(id, caller: caller, on: connection)
            let parties = ApplicationParty.parties(of: caller, enterprise: current.enterprise, regionCode: current.regionCode)
            let action = transition.action
            let step = try Workflow.applications.require(
                action, by: parties, from: current.status, object: "application",
                unknown: Problem.invalid(field: "action", "is not an action of the application workflow"))
            if step.needsNote && transition.note == nil { throw Problem.invalid(field: "note", "is required to \(action)") }
            if let expected, expected != current.version { throw Problem.stale(current: current.version) }
            var target = step.to[0]
            var followUps: [FollowUp] = []
            var set = ""
            var sql = SQLComposer()
            switch action {
            case "submit":
                let region = try await checkComplete(current, today: today, on: connection)
                set = ", first_submitted_on = coalesce(first_submitted_on, \(sql.bind(today.description))::date), region_code = \(sql.bind(region))"
            case "withdraw":
                set = ", withdrawn_on = \(sql.bind(today.description))::date"
            case "recommend":
                try await checkQuota(current, on: connection)
                set = ", recommended_on = \(sql.bind(today.description))::date"
            case "record_decision":
                guard let decision = transition.decision else { throw Problem.invalid(field: "decision", "is required") }
                try checkDecisionDay(decision.decidedOn, today: today)
                target = decision.outcome
                set = ", decided_on = \(sql.bind(decision.decidedOn.description))::date, document_no = \(sql.bind(decision.documentNo))"
                if decision.outcome == .approved {
                    followUps = try await certify(current, id: id, decision: decision, on: connection)
                }
            default:
                break
            }
            sql.append(
                """
                UPDATE applications r SET status = \(sql.bind(target.rawValue)), last_note = \(sql.bind(transition.note))\(set),
                    version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING application_doc(r)::text, r.version
                """)
            let rows = try await connection.query(sql.query, logger: logger).decode((String, Int).self).all()
            let (json, version) = rows[0]
            try await connection.query(
                """
                INSERT INTO application_history (application_id, action, from_status, to_status, account_id, role, note, occurred_at)
                VALUES (\(id), \(action), \(current.status.rawValue), \(target.rawValue), \(caller.accountID), \(caller.role?.rawValue),
                        \(transition.note), \(clock.now()))
                """, logger: logger)
            var event = ChangeEvent(
                objectType: "application", action: target.rawValue, before: current.document,
                after: try JSONValue.parse(Data(json.utf8)), feed: (.application, false))
            event.followUps = followUps
            return Written(id: id, document: Document(json: json, version: version), event: event)
        }
    }

    /// An application as a move needs it, locked; 404 when the caller may not see it.
    struct LockedApplication: Sendable {
        var document: JSONValue
        var version: Int
        var status: ApplicationStatus
        var enterprise: UUID
        var regionCode: String
        var input: ApplicationInput
    }

    func lockApplication(_ id: UUID, caller: Caller, on connection: PostgresConnection) async throws -> LockedApplication {
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            SELECT application_doc(r)::text, r.version, r.status, r.enterprise_id, r.region_code, r.level, r.year,
                   r.materials::text
            FROM applications r WHERE r.id = \(sql.bind(id)) AND \(Self.applicationVisible) FOR UPDATE
            """)
        let rows = try await connection.query(sql.query, logger: logger)
            .decode((String, Int, String, UUID, String, String, Int, String).self).all()
        guard let (json, version, status, enterprise, region, level, year, materials) = rows.first else {
            throw Problem.notFound("application \(id.text)")
        }
        return LockedApplication(
            document: try JSONValue.parse(Data(json.utf8)), version: version, status: ApplicationStatus(rawValue: status) ?? .draft,
            enterprise: enterprise, regionCode: region,
            input: ApplicationInput(
                level: CertificationLevel(rawValue: level) ?? .provincial, year: year, materials: try JSONValue.parse(Data(materials.utf8))))
    }

    /// Cited cooperations must be the enterprise's own and completed.
    private func checkCitedCooperations(_ materials: JSONValue, enterprise: UUID, on connection: PostgresConnection) async throws {
        let cited = ApplicationMaterials.cooperationIDs(materials)
        guard !cited.isEmpty else { return }
        let found = try await connection.query(
            """
            SELECT id FROM cooperations WHERE id = ANY(\(cited)) AND enterprise_id = \(enterprise) AND status = 'completed'
            """, logger: logger
        ).decode(UUID.self).all()
        let errors = cited.enumerated().filter { !found.contains($0.element) }.map {
            FieldError(field: "materials.cooperation_ids[\($0.offset)]", message: "must name one of the enterprise's completed cooperations")
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }

    /// `submit`'s completeness check: every missing item in one 422. Returns the enterprise's
    /// county, which reviews the application.
    private func checkComplete(_ current: LockedApplication, today: ChinaDay, on connection: PostgresConnection) async throws -> String {
        var errors = ApplicationMaterials.missing(current.input.materials)
        let rows = try await connection.query(
            """
            SELECT e.status, e.industry_code, e.region_code,
                   EXISTS (SELECT 1 FROM certifications c
                           WHERE c.enterprise_id = e.id AND c.level = 'provincial' AND c.status = 'active'
                             AND c.certified_on <= \(today.description)::date AND c.valid_until >= \(today.description)::date)
            FROM enterprises e WHERE e.id = \(current.enterprise)
            """, logger: logger
        ).decode((String, String?, String, Bool).self).all()
        guard let (status, industry, region, provincial) = rows.first else { throw Problem.notFound("enterprise") }
        if status != "active" {
            errors.append(FieldError(field: "enterprise.status", message: "the enterprise must be active (it is \(status))"))
        }
        if industry?.hasPrefix("P") == true {
            errors.append(
                FieldError(field: "enterprise.industry_code", message: "education and training enterprises (industry section P) are not eligible"))
        }
        if current.input.level == .national, rules.nationalNeedsProvincial, !provincial {
            errors.append(
                FieldError(field: "level", message: "a national application needs a provincial certification valid on \(today)"))
        }
        do {
            try await checkCitedCooperations(current.input.materials, enterprise: current.enterprise, on: connection)
        } catch let problem as Problem {
            errors += problem.errors
        }
        if !errors.isEmpty { throw Problem.invalid(errors, detail: "the application is not complete: \(errors.count) items") }
        return region
    }

    /// A recommend beyond the county's quota for the level and year is a 409. The quota row is
    /// locked, so concurrent recommends in one county count one after the other.
    private func checkQuota(_ current: LockedApplication, on connection: PostgresConnection) async throws {
        let quota = try await connection.query(
            """
            SELECT recommendations FROM quotas
            WHERE year = \(current.input.year) AND level = \(current.input.level.rawValue) AND region_code = \(current.regionCode)
            FOR UPDATE
            """, logger: logger
        ).decode(Int.self).all()
        guard let limit = quota.first else { return }
        let used = try await connection.query(
            """
            SELECT count(*)::int FROM applications
            WHERE year = \(current.input.year) AND level = \(current.input.level.rawValue) AND region_code = \(current.regionCode)
              AND recommended_on IS NOT NULL
            """, logger: logger
        ).decode(Int.self).all()[0]
        if used >= limit {
            throw Problem.conflict(
                "the county's \(current.input.level.rawValue) quota for \(current.input.year) is used: \(used) of \(limit) recommendations")
        }
    }

    /// A decision is the province's, already made: never dated in the future.
    private func checkDecisionDay(_ day: ChinaDay, today: ChinaDay) throws {
        if day > today { throw Problem.invalid(field: "decision.decided_on", "must not be after today (\(today))") }
    }

    /// An approval's certification and reward (exactly one each: both are unique per
    /// application and certification), as follow-ups of the move.
    private func certify(
        _ current: LockedApplication, id: UUID, decision: ApplicationTransition.Decision, on connection: PostgresConnection
    ) async throws -> [FollowUp] {
        let level = current.input.level
        let policies = try await connection.query(
            "SELECT amount_fen, effective_from::text, top_up FROM reward_policies WHERE level = \(level.rawValue)", logger: logger
        ).decode((Int64, String, Bool).self).all().compactMap { amount, from, topUp in
            ChinaDay(from).map { RewardPolicy(level: level, amount: Fen(amount), effectiveFrom: $0, topUp: topUp) }
        }
        guard let policy = RewardRules.policy(on: decision.decidedOn, among: policies) else {
            throw Problem.invalid(field: "decision.decided_on", "no \(level.rawValue) reward policy is in force on \(decision.decidedOn)")
        }
        let provincial = try await connection.query(
            """
            SELECT amount_fen FROM rewards
            WHERE enterprise_id = \(current.enterprise) AND level = 'provincial' AND status <> 'cancelled' FOR UPDATE
            """, logger: logger
        ).decode(Int64.self).all().map(Fen.init)
        let amount = RewardRules.amount(under: policy, provincialRewards: provincial)
        let certification = try await connection.query(
            """
            INSERT INTO certifications AS r (application_id, enterprise_id, region_code, level, document_no, certified_on, valid_until)
            VALUES (\(id), \(current.enterprise), \(current.regionCode), \(level.rawValue), \(decision.documentNo ?? ""),
                    \(decision.decidedOn.description)::date, \(rules.validUntil(decision.decidedOn).description)::date)
            RETURNING r.id, certification_doc(r)::text
            """, logger: logger
        ).decode((UUID, String).self).all()[0]
        let reward = try await connection.query(
            """
            INSERT INTO rewards AS r (certification_id, enterprise_id, region_code, level, year, amount_fen)
            VALUES (\(certification.0), \(current.enterprise), \(current.regionCode), \(level.rawValue), \(decision.decidedOn.year),
                    \(amount.value))
            RETURNING r.id, reward_doc(r)::text
            """, logger: logger
        ).decode((UUID, String).self).all()[0]
        return [
            FollowUp(
                id: certification.0,
                event: ChangeEvent(
                    objectType: "certification", action: "created", before: nil, after: try JSONValue.parse(Data(certification.1.utf8)),
                    feed: (.certification, true))),
            FollowUp(
                id: reward.0,
                event: ChangeEvent(
                    objectType: "reward", action: "created", before: nil, after: try JSONValue.parse(Data(reward.1.utf8)),
                    feed: (.reward, false))),
        ]
    }

    public func application(id: UUID, caller: Caller) async throws -> Document {
        try await visibleDocument("application", id: id, caller: caller, visible: Self.applicationVisible)
    }

    /// The caller's view of the applications by id, filtered by `level`, `year`, `status`,
    /// `region_code` and `enterprise_id`.
    public func applications(_ request: ListRequest, caller: Caller) async throws -> Page {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT application_doc(r)::text, r.id FROM applications r WHERE \(Self.applicationVisible)")
        try sql.appendFilters(
            request, of: "applications",
            [.oneOf("level", "r.level", CertificationLevel.self), .integer("year", "r.year", ApplicationInput.years),
             .oneOf("status", "r.status", ApplicationStatus.self), .region("region_code", "r.region_code"),
             .uuid("enterprise_id", "r.enterprise_id")])
        return try await page(sql, after: request.after, limit: request.limit, key: "r.id")
    }

    /// Every transition of a visible application, oldest first.
    public func applicationHistory(id: UUID, _ request: ListRequest, caller: Caller) async throws -> Page {
        try request.requireNoFilters(of: "an application's history")
        _ = try await application(id: id, caller: caller)
        var sql = SQLComposer()
        sql.append(
            """
            SELECT json_build_object('action', h.action, 'from', h.from_status, 'to', h.to_status, 'account_id', h.account_id,
                                     'role', h.role, 'note', h.note, 'occurred_at', utc_iso(h.occurred_at))::text, h.id
            FROM application_history h WHERE h.application_id = \(sql.bind(id))
            """)
        return try await page(sql, after: request.after, limit: request.limit, key: "h.id", as: Int64.self)
    }
}
