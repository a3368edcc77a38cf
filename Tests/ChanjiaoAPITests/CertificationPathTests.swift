import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// The whole path through the API on the demo data (the certification issue's "done when"): a
/// new 灵宝市 enterprise cooperates with a college, applies, is approved by its county and the
/// bureau within quota, is certified and paid, and moves the red/black list; every step is in
/// the history, the audit log and the outbox.
@Suite struct CertificationPathTests {
    @Test func aNewEnterpriseGoesFromCooperationToAPaidReward() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            let today = ChinaDay(Date())
            let year = today.year

            // 1. A new enterprise of 灵宝市, registered and verified.
            let uscc = USCC.withCheckCharacters("91411282MAE2E0" + "01")!
            let registered = try await api.post(
                "/v1/registrations",
                #"{"kind":"enterprise","organization":{"name":"灵宝金源矿业","uscc":"\#(uscc)","region_code":"411282","industry_code":"B0921","size":"medium","contact":{"name":"杨帆","phone":"13700001234"}},"account":{"username":"ent-jyky","password":"Jinyuan-Mining-2026"}}"#)
            #expect(registered.status == .created, "\(registered.text)")
            guard case .string(let enterprise)? = registered["organization"]?["id"] else { return }
            #expect(try await api.send(.post, "/v1/enterprises/\(enterprise)/verify", token: bureau).status == .ok)
            let owner = try await api.login("ent-jyky", "Jinyuan-Mining-2026")

            // The board's 灵宝市 row before.
            func lingbao() async throws -> Scoreboard.County? {
                let board = try await api.get("/v1/scoreboard")
                guard case .object(let r)? = board.items.first(where: { $0["region_code"] == .string("411282") }),
                    case .int(let s)? = r["submitted"], case .int(let st)? = r["submitted_target"], case .int(let c)? = r["certified"],
                    case .int(let ct)? = r["certified_target"], case .string(let d)? = r["deadline"], let deadline = ChinaDay(d)
                else { return nil }
                return Scoreboard.County(regionCode: "411282", submitted: s, submittedTarget: st, certified: c, certifiedTarget: ct, deadline: deadline)
            }
            let before = try await lingbao()
            #expect(before != nil)

            // 2. It proposes cooperation to a college, which accepts and completes it.
            let college = try await api.login("col-smxzy")
            let demand = try await CooperationTests.demand(api, owner)
            let program = try await CooperationTests.program(api, college)
            let proposed = try await CooperationTests.propose(api, owner, demand: demand, program: program, seats: 4)
            #expect(proposed.status == .created, "\(proposed.text)")
            let cooperation = proposed.string["id"] ?? ""
            #expect(try await api.send(.post, "/v1/cooperations/\(cooperation)/accept", token: college).status == .ok)
            let completed = try await api.post(
                "/v1/cooperations/\(cooperation)/complete", token: college, #"{"completed_on":"\#(today)","trainees":4}"#)
            #expect(completed.string["status"] == "completed")

            // 3. It applies provincial, with an attachment, citing the cooperation, and submits.
            let materials = CertificationFixtures.materials(citing: [cooperation])
            let created = try await api.post("/v1/applications", token: owner, CertificationFixtures.body(year: year, materials: materials))
            #expect(created.status == .created, "\(created.text)")
            let application = created.string["id"] ?? ""
            let attached = try await AttachmentTests.upload(api, application, owner)
            #expect(attached.status == .created)
            let f = CertificationFixtures(api: api, enterprise: owner, county: try await api.login("county-411282"), bureau: bureau)
            try await f.move(application, #"{"action":"submit"}"#, token: owner)

            // 4. The 灵宝市 officer approves. 5. The bureau recommends within the quota and records the approval.
            try await f.move(application, #"{"action":"county_approve","note":"材料齐全，同意推荐"}"#, token: f.county!)
            let usedBefore = try await quotaUsed(api, bureau, year: year)
            try await f.move(application, #"{"action":"recommend"}"#, token: bureau)
            #expect(try await quotaUsed(api, bureau, year: year) == usedBefore + 1)
            let decided = try await api.post(
                "/v1/applications/\(application)/transitions", token: bureau, CertificationFixtures.decision(today.description))
            #expect(decided.string["status"] == "approved", "\(decided.text)")

            // 6. The certification and exactly one reward.
            let certifications = try await api.get("/v1/certifications?enterprise_id=\(enterprise)")
            #expect(certifications.items.count == 1)
            let certification = certifications.items.first?["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
            #expect(certifications.items.first?["valid_until"] == .string(CertificationRules().validUntil(today).description))
            let rewards = try await api.get("/v1/rewards", token: owner)
            #expect(rewards.items.count == 1)
            #expect(rewards.items.first?["amount_fen"] == .int(20_000_000) && rewards.items.first?["status"] == .string("pending"))
            let reward = rewards.items.first?["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""

            // 7. The reward is disbursed: recorded by the bureau, confirmed by the finance account.
            let recorded = try await api.post("/v1/rewards/\(reward)/disburse", token: bureau, #"{"paid_on":"\#(today)","voucher_no":"三财拨-E2E-1"}"#)
            #expect(recorded.string["status"] == "disbursing")
            let finance = try await api.login("bureau-finance")
            #expect(try await api.send(.post, "/v1/rewards/\(reward)/confirm", token: finance).string["status"] == "disbursed")

            // 8. The board moved 灵宝市 by one submission and one certification, as the formula says.
            let after = try await lingbao()
            if let before, let after {
                #expect(after.submitted == before.submitted + 1 && after.certified == before.certified + 1)
                let row = try await api.get("/v1/scoreboard").items.first { $0["region_code"] == .string("411282") }
                let decidedRow = Scoreboard.rank([after], asOf: today)[0]
                #expect(row?["list"] == .string(decidedRow.list.rawValue))
                #expect(Scoreboard.completion(after) > Scoreboard.completion(before))
            }

            // 9. Every step in the history, the audit log and the outbox.
            let history = try await api.get("/v1/applications/\(application)/history", token: owner)
            #expect(history.items.map { $0["action"] } == ["submit", "county_approve", "recommend", "record_decision"].map(JSONValue.string))
            #expect(history.items.map { $0["to"] } == ["submitted", "county_approved", "recommended", "approved"].map(JSONValue.string))
            for (object, actions) in [
                (application, ["created", "submitted", "county_approved", "recommended", "approved"]),
                (cooperation, ["created", "accepted", "completed"]),
                (certification, ["created"]),
                (reward, ["created", "disbursing", "disbursed"]),
            ] {
                let audit = try await api.get("/v1/audit-events?object_id=\(object)&limit=200", token: bureau)
                let found = Set(audit.items.compactMap { if case .string(let a)? = $0["action"] { a } else { nil } })
                #expect(found == Set(actions), "\(object): \(found)")
            }
            let outbox = try await api.store.client.query(
                """
                SELECT type FROM outbox_events
                WHERE resource_id IN (\(UUID(uuidString: application)!), \(UUID(uuidString: cooperation)!), \(UUID(uuidString: certification)!),
                                      \(UUID(uuidString: reward)!))
                ORDER BY id
                """
            ).decode(String.self)
            var types: [String] = []
            for try await type in outbox { types.append(type) }
            #expect(
                types == [
                    "cooperation.created", "cooperation.accepted", "cooperation.completed", "application.created",
                    "application.submitted", "application.county_approved", "application.recommended", "application.approved",
                    "certification.created", "reward.created", "reward.disbursing", "reward.disbursed",
                ], "\(types)")
        }
    }

    private func quotaUsed(_ api: TestAPI, _ token: String, year: Int) async throws -> Int {
        let quotas = try await api.get("/v1/quotas?year=\(year)", token: token)
        let lingbao = quotas.items.first { $0["region_code"] == .string("411282") && $0["level"] == .string("provincial") }
        if case .int(let used)? = lingbao?["used"] { return used }
        throw TestSetupError("no 灵宝市 quota: \(quotas.text)")
    }
}
