import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The demo city's certification year, played through the same store functions the API calls
/// and dated by the store's clock (its China-time year and today), so a fresh `scripts/run`
/// shows a live red/black list: cooperations between demo enterprises and colleges; the city's
/// first provincial 产教融合型企业 (三门峡崤函实业集团) approved, its reward paid by two bureau
/// accounts; five provincial applications at various stages and two drafts; every county's
/// targets, chosen so that the board shows red, black and neither; a quota for 灵宝市 with room.
public struct DemoStory: Sendable {
    let store: Store
    /// The demo accounts as callers, by username.
    let callers: [String: Caller]
    /// The demo enterprises' contact people, by username: their applications' contact.
    let contacts: [String: (name: String, phone: String)]

    /// The 集团 that is certified first.
    static let group = "ent-xhjt"
    static let recorder = "bureau-cert"
    static let confirmer = "bureau-finance"

    func play() async throws {
        let today = ChinaDay(store.clock.now())
        let year = today.year
        let completed = try await cooperate(Self.group, state: "completed", today: today)
        _ = try await cooperate("ent-zyyl", state: "accepted", today: today)
        _ = try await cooperate("ent-lbhj", state: "proposed", today: today)

        _ = try await store.putQuota(
            year: year, level: .provincial, regionCode: "411282", recommendations: 3, actor: actor(Self.recorder))
        // The 集团: approved today, with its 申报书, its reward recorded by one account and confirmed by another.
        let group = try await apply(Self.group, year: year, citing: completed.map { [$0] } ?? [])
        _ = try await store.addAttachment(
            applicationID: group,
            file: AttachmentFile(filename: "申报书.pdf", contentType: .pdf, content: Self.applicationPDF),
            actor: actor(Self.group))
        try await move(group, ["submit", "county_approve", "recommend"], by: [Self.group, "county-411202", Self.recorder])
        try await move(
            group, "record_decision", by: Self.recorder,
            decision: .init(outcome: .approved, decidedOn: today, documentNo: "豫发改社会〔\(year)〕18号"))
        let reward = try await store.read { connection in
            try await connection.query(
                "SELECT w.id FROM rewards w JOIN certifications c ON c.id = w.certification_id WHERE c.application_id = \(group)",
                logger: store.logger
            ).decode(UUID.self).all()
        }
        if let reward = reward.first {
            _ = try await store.moveReward(
                id: reward, .disburse(DisbursementInput(paidOn: today, voucherNo: "三财拨〔\(year)〕0047号")), expected: nil,
                actor: actor(Self.recorder))
            _ = try await store.moveReward(id: reward, .confirm, expected: nil, actor: actor(Self.confirmer))
        }
        // Five provincial applications at various stages, two drafts.
        try await move(try await apply("ent-zyyl", year: year), ["submit"], by: ["ent-zyyl"])
        try await move(try await apply("ent-lbhj", year: year), ["submit", "county_approve", "recommend"], by: ["ent-lbhj", "county-411282", Self.recorder])
        try await move(try await apply("ent-hxtb", year: year), ["submit", "county_approve"], by: ["ent-hxtb", "county-411282"])
        let returned = try await apply("ent-jtcl", year: year)
        try await move(returned, ["submit"], by: ["ent-jtcl"])
        try await move(returned, "return", by: "county-411202", note: "请补充近两年校企合作协议及实习学生名单")
        try await move(try await apply("ent-kmly", year: year), ["submit"], by: ["ent-kmly"])
        _ = try await apply("ent-swq", year: year)
        _ = try await apply("ent-kxhg", year: year, complete: false)

        try await setTargets(year: year, today: today)
    }

    // MARK: Steps

    private func actor(_ username: String) throws -> WriteActor {
        guard let caller = callers[username] else { throw Problem.notFound("demo account \(username)") }
        return WriteActor(caller: caller)
    }

    /// A cooperation between the enterprise's first open demand and a published program whose
    /// modes include the demand's, brought to `state`; nil when no such pair exists.
    private func cooperate(_ username: String, state: String, today: ChinaDay) async throws -> UUID? {
        guard let enterprise = callers[username]?.organizationID else { return nil }
        let pairs = try await store.read { connection in
            try await connection.query(
                """
                SELECT d.id, p.id, a.username, least(5, d.headcount, p.capacity), d.mode
                FROM demands d JOIN programs p ON d.mode = ANY (p.modes) AND p.status = 'published'
                JOIN accounts a ON a.college_id = p.college_id
                WHERE d.enterprise_id = \(enterprise) AND d.status = 'open'
                ORDER BY d.title, p.title LIMIT 1
                """, logger: store.logger
            ).decode((UUID, UUID, String, Int, String).self).all()
        }
        guard let (demand, program, college, seats, modeText) = pairs.first, let mode = CooperationMode(rawValue: modeText) else { return nil }
        let input = CooperationInput(demandID: demand, programID: program, mode: mode, seats: seats, note: "校企共建订单班")
        let id = try await store.proposeCooperation(input, actor: actor(username)).written.id
        if state == "proposed" { return id }
        _ = try await store.moveCooperation(id: id, action: "accept", input: CooperationMoveInput(), expected: nil, actor: actor(college))
        if state == "completed" {
            _ = try await store.moveCooperation(
                id: id, action: "complete", input: CooperationMoveInput(completedOn: today.description, trainees: seats), expected: nil,
                actor: actor(college))
        }
        return id
    }

    /// A provincial application of the enterprise: complete materials, or (`complete: false`)
    /// a draft that is only begun.
    private func apply(_ username: String, year: Int, citing cooperations: [UUID] = [], complete: Bool = true) async throws -> UUID {
        let contact = contacts[username] ?? (name: "联系人", phone: "13800000000")
        var materials: [String: JSONValue] = [
            "summary": .string("与驻市职业院校共建订单班、实训基地，开展现代学徒制培养"),
            "cooperation_years": .int(complete ? 3 : 1),
            "contact": .object(["name": .string(contact.name), "phone": .string(contact.phone)]),
        ]
        if complete {
            materials["cooperation_forms"] = .array([.string("order_class"), .string("apprenticeship"), .string("curriculum")])
            materials["investment_fen"] = .int(85_000_000)
            materials["trainees_per_year"] = .int(120)
            materials["credit_clean"] = .bool(true)
            materials["no_major_incidents"] = .bool(true)
        }
        if !cooperations.isEmpty { materials["cooperation_ids"] = .array(cooperations.map { .string($0.text) }) }
        let input = ApplicationInput(level: .provincial, year: year, materials: .object(materials))
        return try await store.createApplication(input, actor: actor(username)).written.id
    }

    private func move(_ id: UUID, _ actions: [String], by usernames: [String]) async throws {
        for (action, username) in zip(actions, usernames) { try await move(id, action, by: username) }
    }

    private func move(
        _ id: UUID, _ action: String, by username: String, note: String? = nil, decision: ApplicationTransition.Decision? = nil
    ) async throws {
        let transition = ApplicationTransition(action: action, note: note, decision: decision)
        _ = try await store.moveApplication(id: id, transition: transition, expected: nil, actor: actor(username))
    }

    // MARK: Targets

    /// Each county's targets for the year. 湖滨区 has met its targets (red), 义马市 lags behind
    /// (black), and 灵宝市's targets and deadline are chosen so that, today, it is neither.
    private func setTargets(year: Int, today: ChinaDay) async throws {
        let counties: [(code: String, person: String, title: String, phone: String, wanted: Scoreboard.List?)] = [
            ("411202", "刘建国", "湖滨区工业和信息化局局长", "0398-2821001", .red),
            ("411203", "王丽华", "陕州区工业和信息化局局长", "0398-3821002", nil),
            ("411221", "张卫东", "渑池县工业和信息化局局长", "0398-4821003", nil),
            ("411224", "李秀英", "卢氏县工业和信息化局局长", "0398-7821004", nil),
            ("411281", "赵志强", "义马市工业和信息化局局长", "0398-5821005", .black),
            ("411282", "陈明", "灵宝市工业和信息化局局长", "0398-8821006", Scoreboard.List.none),
        ]
        let reached = try await store.read { connection in
            try await connection.query(
                """
                SELECT region_code, count(*) FILTER (WHERE first_submitted_on IS NOT NULL AND withdrawn_on IS NULL)::int,
                       count(*) FILTER (WHERE status = 'approved')::int
                FROM applications WHERE year = \(year) GROUP BY region_code
                """, logger: store.logger
            ).decode((String, Int, Int).self).all()
        }
        let counts = Dictionary(uniqueKeysWithValues: reached.map { ($0.0, (submitted: $0.1, certified: $0.2)) })
        for county in counties {
            let (submitted, certified) = counts[county.code] ?? (0, 0)
            let (submittedTarget, certifiedTarget, deadline) = Self.targets(
                submitted: submitted, certified: certified, wanted: county.wanted, year: year, today: today)
            let input = TargetInput(
                submitted: submittedTarget, certified: certifiedTarget, deadline: deadline,
                responsible: .init(name: county.person, title: county.title, phone: county.phone))
            _ = try await store.putTarget(year: year, regionCode: county.code, input, actor: actor(Self.recorder))
        }
    }

    /// Targets that put a county on the `wanted` list today, given what it has reached: the first
    /// of a small search (submitted target 2…10, certified target 1 or 0, deadline the year's end
    /// or earlier); without a wish, 3 and 1 by the year's end.
    public static func targets(
        submitted: Int, certified: Int, wanted: Scoreboard.List?, year: Int, today: ChinaDay
    ) -> (Int, Int, ChinaDay) {
        let yearEnd = ChinaDay(year: year, month: 12, day: 31)!
        let start = ChinaDay.januaryFirst(of: year)
        guard let wanted else { return (3, 1, yearEnd) }
        let deadlines = [yearEnd] + (1..<start.days(to: yearEnd)).reversed().map { start.adding(days: $0) }
        for certifiedTarget in [1, 0] {
            for submittedTarget in max(2, submitted)...10 {
                for deadline in deadlines {
                    let county = Scoreboard.County(
                        regionCode: "", submitted: submitted, submittedTarget: submittedTarget, certified: certified,
                        certifiedTarget: certifiedTarget, deadline: deadline)
                    if Scoreboard.rank([county], asOf: today)[0].list == wanted {
                        return (submittedTarget, certifiedTarget, deadline)
                    }
                }
            }
        }
        return (3, 1, yearEnd)
    }

    /// A one-page PDF standing in for a 申报书.
    static let applicationPDF: [UInt8] = Array(
        """
        %PDF-1.4
        1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
        2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
        3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj
        trailer<</Root 1 0 R>>
        %%EOF

        """.utf8)
}
