import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The reward ledger: policies with their history, rewards (created by an approval in
/// `moveApplication`) moved along `Workflow.rewards` with two bureau accounts for a payment
/// (双人复核), and totals that are the sum of the rows.
extension Store {
    /// Who sees a reward: the bureau and viewers, and the enterprise its own.
    static let rewardVisible = "($1 IN ('bureau', 'viewer') OR r.enterprise_id = $2)"

    /// Ships the default policies of `Config/reward-policies.json`; a level's existing history
    /// is left alone.
    public func ensureRewardPolicies(_ policies: [RewardPolicy]) async throws {
        try await transaction { connection in
            for policy in policies {
                try await connection.query(
                    """
                    INSERT INTO reward_policies (level, effective_from, amount_fen, top_up)
                    SELECT \(policy.level.rawValue), \(policy.effectiveFrom.description)::date, \(policy.amount.value), \(policy.topUp)
                    WHERE NOT EXISTS (SELECT 1 FROM reward_policies WHERE level = \(policy.level.rawValue))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
    }

    /// A level's policy in force today (else the earliest, when every policy lies ahead), with
    /// its whole history (oldest first) in `history`.
    public func rewardPolicy(level: CertificationLevel) async throws -> Document {
        let today = ChinaDay(clock.now()).description
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT (reward_policy_doc(p)::jsonb || jsonb_build_object(
                    'history', (SELECT json_agg(reward_policy_doc(h) ORDER BY h.effective_from)
                                FROM reward_policies h WHERE h.level = p.level)))::text, p.version
                FROM reward_policies p WHERE p.level = \(level.rawValue)
                ORDER BY p.effective_from <= \(today)::date DESC,
                         CASE WHEN p.effective_from <= \(today)::date THEN p.effective_from END DESC, p.effective_from
                LIMIT 1
                """, logger: logger
            ).decode((String, Int).self).all()
        }
        guard let (policy, version) = rows.first else { throw Problem.notFound("\(level.rawValue) reward policy") }
        return Document(json: policy, version: version)
    }

    /// Adds the policy that takes effect on its `effective_from`, or replaces the one already
    /// taking effect that day (then `created` is false). Rewards already made keep their amounts.
    public func putRewardPolicy(_ policy: RewardPolicy, expected: Int? = nil, actor: WriteActor) async throws -> (created: Bool, document: Document) {
        let outcome = try await write(actor) { connection in
            try await upserted(
                "reward_policy", key: [policy.level.rawValue, policy.effectiveFrom.description], expected: expected,
                current: """
                    SELECT reward_policy_doc(p)::text FROM reward_policies p
                    WHERE p.level = \(policy.level.rawValue) AND p.effective_from = \(policy.effectiveFrom.description)::date FOR UPDATE
                    """,
                upsert: """
                    INSERT INTO reward_policies AS p (level, effective_from, amount_fen, top_up)
                    VALUES (\(policy.level.rawValue), \(policy.effectiveFrom.description)::date, \(policy.amount.value), \(policy.topUp))
                    ON CONFLICT (level, effective_from) DO UPDATE
                        SET amount_fen = excluded.amount_fen, top_up = excluded.top_up, version = p.version + 1, updated_at = now()
                    RETURNING reward_policy_doc(p)::text, p.version
                    """, on: connection)
        }
        let written = try outcome.written
        return (written.created, try await rewardPolicy(level: policy.level))
    }

    public func reward(id: UUID, caller: Caller) async throws -> Document {
        try await visibleDocument("reward", id: id, caller: caller, visible: Self.rewardVisible)
    }

    /// The ledger as the caller may see it, by id, filtered by `status`, `level`, `year`,
    /// `region_code` and `enterprise_id`.
    public func rewards(_ request: ListRequest, caller: Caller) async throws -> Page {
        try await page(try rewardsQuery(request, caller: caller), after: request.after, limit: request.limit, key: "r.id")
    }

    /// The ledger's documents and ids as the caller may see them, filtered: for the list and the export.
    func rewardsQuery(_ request: ListRequest, caller: Caller) throws -> SQLComposer {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT reward_doc(r)::text, r.id FROM rewards r WHERE \(Self.rewardVisible)")
        try sql.appendFilters(request, of: "rewards", Self.rewardFilters)
        return sql
    }

    /// The ledger's filters, for the list and its totals alike.
    static let rewardFilters: [ListFilter] = [
        .oneOf("status", "r.status", RewardStatus.self), .oneOf("level", "r.level", CertificationLevel.self),
        .integer("year", "r.year", ApplicationInput.years), .region("region_code", "r.region_code"), .uuid("enterprise_id", "r.enterprise_id"),
    ]

    /// What a reward's move carries: a payment's day and voucher, a cancellation's reason.
    public enum RewardMove: Sendable {
        case disburse(DisbursementInput)
        case confirm
        case cancel(reason: String)

        var action: String {
            switch self {
            case .disburse: "disburse"
            case .confirm: "confirm"
            case .cancel: "cancel"
            }
        }
    }

    public func moveReward(id: UUID, _ move: RewardMove, expected: ExpectedVersion, actor: WriteActor) async throws -> WriteOutcome {
        let today = ChinaDay(clock.now())
        return try await write(actor) { connection in
            let rows = try await connection.query(
                "SELECT reward_doc(r)::text, r.version, r.status, r.recorded_by FROM rewards r WHERE r.id = \(id) FOR UPDATE", logger: logger
            ).decode((String, Int, String, UUID?).self).all()
            guard let (before, version, statusText, recordedBy) = rows.first else { throw Problem.notFound("reward \(id.text)") }
            let caller = actor.caller
            var parties: Set<RewardParty> = [.bureau]
            if let account = caller.accountID, account != recordedBy { parties.insert(.secondBureauAccount) }
            let status = RewardStatus(rawValue: statusText) ?? .cancelled
            let step = try Workflow.rewards.require(
                move.action, by: parties, from: status, object: "reward", unknown: Problem.notFound("reward action \(move.action)"),
                notAllowed: "the payment must be confirmed by a bureau account other than the one that recorded it (双人复核)")
            if let expected, expected != version { throw Problem.stale(current: version) }
            let target = step.to[0]
            var sql = SQLComposer()
            var set = ""
            switch move {
            case .disburse(let payment):
                if payment.paidOn > today { throw Problem.invalid(field: "paid_on", "must not be after today (\(today))") }
                set = ", paid_on = \(sql.bind(payment.paidOn.description))::date, voucher_no = \(sql.bind(payment.voucherNo)), recorded_by = \(sql.bind(caller.accountID))"
            case .confirm:
                set = ", confirmed_by = \(sql.bind(caller.accountID))"
            case .cancel(let reason):
                set = ", reason = \(sql.bind(reason))"
            }
            sql.append(
                """
                UPDATE rewards r SET status = \(sql.bind(target.rawValue))\(set), version = version + 1, updated_at = now()
                WHERE r.id = \(sql.bind(id)) RETURNING reward_doc(r)::text, r.version
                """)
            let (after, newVersion) = try await connection.query(sql.query, logger: logger).decode((String, Int).self).all()[0]
            let event = ChangeEvent(
                objectType: "reward", action: target.rawValue, before: try JSONValue.parse(Data(before.utf8)),
                after: try JSONValue.parse(Data(after.utf8)), feed: (.reward, false))
            return Written(id: id, document: Document(json: after, version: newVersion), event: event)
        }
    }

    /// The ledger's totals grouped by `county`, `level` or `status`, over the same filters as
    /// the list: `{items: [{key, count, amount_fen}], total_fen}`, the total summed from the items.
    public func rewardTotals(groupBy: String, _ request: ListRequest, caller: Caller) async throws -> String {
        let column: String
        switch groupBy {
        case "county": column = "r.region_code"
        case "level": column = "r.level"
        case "status": column = "r.status"
        default: throw Problem.invalid(field: "group_by", "must be one of: county, level, status")
        }
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT \(column), count(*)::int, sum(r.amount_fen)::bigint FROM rewards r WHERE \(Self.rewardVisible)")
        try sql.appendFilters(request, of: "rewards", Self.rewardFilters)
        sql.append(" GROUP BY 1 ORDER BY 1")
        let (query, references) = (sql.query, sql.references)
        let rows = try await read { connection in
            try await checkReferences(references, on: connection)
            return try await connection.query(query, logger: logger).decode((String, Int, Int64).self).all()
        }
        guard let total = rows.map({ Fen($0.2) }).total() else { throw Problem.conflict("the ledger's total does not fit in 64 bits") }
        let items: [JSONValue] = rows.map { key, count, amount in
            .object(["key": .string(key), "count": .int(count), "amount_fen": .int(Int(amount))])
        }
        return Self.jsonText(.object(["group_by": .string(groupBy), "items": .array(items), "total_fen": .int(Int(total.value))]))
    }
}
