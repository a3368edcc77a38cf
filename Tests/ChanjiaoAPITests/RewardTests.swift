import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// The reward ledger through the API: amounts by the policy in force, the national top-up,
/// payment by two bureau accounts, cancellation, revocation, and totals equal to the rows.
@Suite struct RewardTests {
    /// ent-zyyl's fixtures, and a second bureau account's token.
    static func setUp(_ api: TestAPI) async throws -> (CertificationFixtures, String) {
        let bureau = try await api.admin()
        let created = try await api.post(
            "/v1/accounts", token: bureau, #"{"username":"finance-2","password":"Second-Bureau-2026","role":"bureau"}"#)
        guard created.status == .created else { throw TestSetupError("second bureau account: \(created.text)") }
        let fixtures = CertificationFixtures(api: api, enterprise: try await api.login("ent-zyyl"), county: nil, bureau: bureau)
        return (fixtures, try await api.login("finance-2", "Second-Bureau-2026"))
    }

    static func reward(_ api: TestAPI, _ id: String, _ token: String) async throws -> Reply {
        try await api.get("/v1/rewards/\(id)", token: token)
    }

    @Test func amountsFollowThePolicyInForceAndTheTopUp() async throws {
        try await withAPI { api async throws in
            let (f, _) = try await Self.setUp(api)
            let provincial = try await f.certified(year: 2050)
            #expect(try await Self.reward(api, provincial.reward, f.bureau).body["amount_fen"] == .int(20_000_000))
            // National with top-up on: what is left of 50,000,000 after the provincial 20,000,000.
            let national = try await f.certified(year: 2050, level: "national")
            let document = try await Self.reward(api, national.reward, f.bureau)
            #expect(document.body["amount_fen"] == .int(30_000_000), "\(document.text)")
            #expect(document.body["year"] == .int(ChinaDay(Date()).year))
            #expect(document.string["status"] == "pending" && document.string["region_code"] == "411202")

            // A policy from today on, top-up off: the full amount; the history keeps both.
            let today = CertificationFixtures.today
            let put = try await api.send(
                .put, "/v1/reward-policies/national", token: f.bureau,
                json: #"{"amount_fen":60000000,"effective_from":"\#(today)","top_up":false}"#)
            #expect(put.status == .created, "\(put.text)")
            #expect(put.headers[.location] == "/v1/reward-policies/national" && put.headers[.eTag] == "\"1\"")
            if case .array(let history)? = put["history"] { #expect(history.count == 2) } else { Issue.record("no history: \(put.text)") }
            let current = try await api.get("/v1/reward-policies/national", token: f.bureau)
            #expect(current.body["amount_fen"] == .int(60_000_000) && current.headers[.eTag] == "\"1\"")
            let full = try await f.certified(year: 2051, level: "national")
            #expect(try await Self.reward(api, full.reward, f.bureau).body["amount_fen"] == .int(60_000_000))
            // The same effective day again replaces it.
            let replaced = try await api.send(
                .put, "/v1/reward-policies/national", token: f.bureau, json: #"{"amount_fen":50000000,"effective_from":"\#(today)","top_up":true}"#)
            #expect(replaced.status == .ok)
            #expect(try await api.send(.put, "/v1/reward-policies/city", token: f.bureau, json: #"{"amount_fen":1,"effective_from":"2026-01-01","top_up":true}"#).status == .unprocessableContent)
        }
    }

    @Test func aDecisionBeforeEveryPolicyIsRefused() async throws {
        let clock = FixedClock(Timestamp.parse("2018-12-20T02:00:00Z")!)
        try await withAPI(configure: { $0.clock = clock }) { api async throws in
            let (f, _) = try await Self.setUp(api)
            let id = try await f.application(year: 2019, state: "recommended")
            let before = try await api.count("certifications")
            let reply = try await api.post("/v1/applications/\(id)/transitions", token: f.bureau, CertificationFixtures.decision("2018-12-20"))
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.errorFields == ["decision.decided_on"])
            #expect(try await api.count("certifications") == before)
        }
    }

    @Test func aPaymentNeedsASecondBureauAccount() async throws {
        try await withAPI { api async throws in
            let (f, second) = try await Self.setUp(api)
            let made = try await f.certified(year: 2052)
            let path = "/v1/rewards/\(made.reward)"
            let early = try await api.send(.post, "\(path)/confirm", token: f.bureau)
            #expect(early.status == .conflict)
            let future = try await api.post("\(path)/disburse", token: f.bureau, #"{"paid_on":"2099-01-01","voucher_no":"PZ-1"}"#)
            #expect(future.errorFields == ["paid_on"])
            let recorded = try await api.post("\(path)/disburse", token: f.bureau, #"{"paid_on":"\#(CertificationFixtures.today)","voucher_no":"PZ-2026-001"}"#)
            #expect(recorded.status == .ok && recorded.string["status"] == "disbursing", "\(recorded.text)")
            // The recorder may not confirm its own payment (双人复核).
            #expect(try await api.send(.post, "\(path)/confirm", token: f.bureau).status == .forbidden)
            let confirmed = try await api.send(.post, "\(path)/confirm", token: second)
            #expect(confirmed.status == .ok && confirmed.string["status"] == "disbursed", "\(confirmed.text)")
            #expect(confirmed.string["voucher_no"] == "PZ-2026-001" && confirmed.string["confirmed_by"] != confirmed.string["recorded_by"])
            #expect(try await api.post("\(path)/cancel", token: f.bureau, #"{"reason":"重复"}"#).status == .conflict)
            // The enterprise reads its own reward, another enterprise cannot see it.
            #expect(try await Self.reward(api, made.reward, f.enterprise).status == .ok)
            #expect(try await Self.reward(api, made.reward, try await api.login("ent-lbhj")).status == .notFound)
            // Audited with before and after.
            let audit = try await api.get("/v1/audit-events?object_id=\(made.reward)", token: f.bureau)
            let actions = audit.items.compactMap { if case .string(let action)? = $0["action"] { action } else { nil } }
            #expect(Set(actions) == ["created", "disbursing", "disbursed"])
            let confirm = audit.items.first { $0["action"] == .string("disbursed") }
            #expect(confirm?["before"]?["status"] == .string("disbursing") && confirm?["after"]?["status"] == .string("disbursed"))
        }
    }

    @Test func tenConcurrentDisbursementsRecordOnePayment() async throws {
        try await withAPI { api async throws in
            let (f, _) = try await Self.setUp(api)
            for withKey in [false, true] {
                let made = try await f.certified(year: withKey ? 2054 : 2053)
                let statuses = try await withThrowingTaskGroup(of: UInt16.self) { group in
                    for n in 0..<10 {
                        group.addTask {
                            try await UInt16(
                                api.send(
                                    .post, "/v1/rewards/\(made.reward)/disburse", token: f.bureau,
                                    json: #"{"paid_on":"\#(CertificationFixtures.today)","voucher_no":"PZ-\#(withKey ? 0 : n)"}"#,
                                    headers: withKey ? [HTTPField.Name("Idempotency-Key")!: "pay-\(made.reward)"] : [:]
                                ).status.code)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == (withKey ? 10 : 1), "\(statuses)")
                let audit = try await api.get("/v1/audit-events?object_id=\(made.reward)&action=disbursing", token: f.bureau)
                #expect(audit.items.count == 1)
            }
        }
    }

    @Test func revokingCancelsWhatIsUnpaidAndMarksPaymentsForRecovery() async throws {
        try await withAPI { api async throws in
            let (f, second) = try await Self.setUp(api)
            let unpaid = try await f.certified(year: 2055)
            let paid = try await f.certified(year: 2056)
            _ = try await api.post("/v1/rewards/\(paid.reward)/disburse", token: f.bureau, #"{"paid_on":"\#(CertificationFixtures.today)","voucher_no":"PZ-9"}"#)
            _ = try await api.send(.post, "/v1/rewards/\(paid.reward)/confirm", token: second)
            let body = #"{"reason":"申报材料弄虚作假","document_no":"三工信〔2026〕31号"}"#
            for made in [unpaid, paid] {
                let revoked = try await api.post("/v1/certifications/\(made.certification)/revoke", token: f.bureau, body)
                #expect(revoked.status == .ok && revoked.string["status"] == "revoked", "\(revoked.text)")
            }
            #expect(try await Self.reward(api, unpaid.reward, f.bureau).string["status"] == "cancelled")
            #expect(try await Self.reward(api, paid.reward, f.bureau).string["status"] == "recovery_due")
            #expect(try await api.post("/v1/certifications/\(paid.certification)/revoke", token: f.bureau, body).status == .conflict)
            #expect(try await api.get("/v1/certifications?status=revoked").items.count == 2)
            // A revoked provincial certification no longer qualifies for a national application.
            let national = try await f.application(year: 2056, level: "national")
            let refused = try await api.post("/v1/applications/\(national)/transitions", token: f.enterprise, #"{"action":"submit"}"#)
            #expect(refused.errorFields == ["level"], "\(refused.text)")
        }
    }

    @Test func totalsAlwaysEqualTheSumOfTheRows() async throws {
        try await withAPI { api async throws in
            let (f, _) = try await Self.setUp(api)
            let hxtb = CertificationFixtures(api: api, enterprise: try await api.login("ent-hxtb"), county: nil, bureau: f.bureau)
            _ = try await f.certified(year: 2057)
            _ = try await f.certified(year: 2057, level: "national")
            let cancelled = try await hxtb.certified(year: 2057)
            _ = try await api.post("/v1/rewards/\(cancelled.reward)/cancel", token: f.bureau, #"{"reason":"企业放弃"}"#)
            var rows: [JSONValue] = []
            var after = ""
            repeat {
                let page = try await api.get("/v1/rewards?limit=2\(after.isEmpty ? "" : "&after=\(after)")", token: f.bureau)
                rows += page.items
                after = page.string["next_cursor"] ?? ""
            } while !after.isEmpty
            let sum = rows.reduce(0) { total, row in if case .int(let amount)? = row["amount_fen"] { total + amount } else { total } }
            for group in ["county", "level", "status"] {
                let totals = try await api.get("/v1/rewards/totals?group_by=\(group)", token: f.bureau)
                #expect(totals.body["total_fen"] == .int(sum), "\(group): \(totals.text)")
                let items = totals.items.reduce(0) { total, item in if case .int(let amount)? = item["amount_fen"] { total + amount } else { total } }
                #expect(items == sum)
                let counted = totals.items.reduce(0) { total, item in if case .int(let count)? = item["count"] { total + count } else { total } }
                #expect(counted == rows.count)
            }
            let byStatus = try await api.get("/v1/rewards/totals?group_by=status&status=cancelled", token: f.bureau)
            #expect(byStatus.items.count == 1 && byStatus.body["total_fen"] == .int(20_000_000), "\(byStatus.text)")
            #expect(try await api.get("/v1/rewards/totals?group_by=region", token: f.bureau).errorFields == ["group_by"])
        }
    }
}
