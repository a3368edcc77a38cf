import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// Certification applications through the API: the workflow's rules, completeness, one open
/// application per level and year, quotas, China-time days, duplicates under concurrency.
@Suite struct ApplicationTests {
    static func fixtures(_ api: TestAPI, county: Bool = true) async throws -> CertificationFixtures {
        CertificationFixtures(
            api: api, enterprise: try await api.login("ent-zyyl"), county: county ? try await api.login("county-411202") : nil,
            bureau: try await api.admin())
    }

    @Test func submitListsEveryMissingItemAndWritesNothing() async throws {
        try await withAPI { api async throws in
            let f = try await Self.fixtures(api)
            let id = try await f.application(year: 2031, materials: #"{"cooperation_years":1,"credit_clean":false}"#)
            let history = try await api.count("application_history")
            let reply = try await api.send(.post, "/v1/applications/\(id)/transitions", token: f.enterprise, json: #"{"action":"submit"}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(
                Set(reply.errorFields) == [
                    "materials.summary", "materials.cooperation_years", "materials.cooperation_forms", "materials.investment_fen",
                    "materials.trainees_per_year", "materials.contact.name", "materials.contact.phone", "materials.credit_clean",
                    "materials.no_major_incidents",
                ])
            #expect(try await api.count("application_history") == history)
            #expect(try await api.get("/v1/applications/\(id)", token: f.enterprise).string["status"] == "draft")

            // An education and training enterprise (industry section P) is not eligible.
            let bureau = f.bureau
            let zyyl = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
            _ = try await api.patch("/v1/enterprises/\(zyyl)", token: bureau, #"{"industry_code":"P8336"}"#)
            let complete = try await f.application(year: 2032)
            let refused = try await api.send(.post, "/v1/applications/\(complete)/transitions", token: f.enterprise, json: #"{"action":"submit"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorFields == ["enterprise.industry_code"], "\(refused.text)")
        }
    }

    @Test func oneOpenApplicationPerEnterpriseLevelAndYear() async throws {
        try await withAPI { api async throws in
            let f = try await Self.fixtures(api)
            let first = try await f.application(year: 2033)
            let again = try await api.post("/v1/applications", token: f.enterprise, CertificationFixtures.body(year: 2033))
            #expect(again.status == .conflict, "\(again.text)")
            // Another level or year is another application.
            #expect(try await api.post("/v1/applications", token: f.enterprise, CertificationFixtures.body(year: 2034)).status == .created)
            try await f.move(first, #"{"action":"withdraw"}"#, token: f.enterprise)
            #expect(try await api.post("/v1/applications", token: f.enterprise, CertificationFixtures.body(year: 2033)).status == .created)
        }
    }

    @Test func eachActionOnlyForItsPartyAndCounty() async throws {
        try await withAPI { api async throws in
            let f = try await Self.fixtures(api)
            let other = try await api.login("county-411282")
            let id = try await f.application(year: 2035, state: "submitted")
            func transition(_ body: String, _ token: String, headers: HTTPFields = [:]) async throws -> Reply {
                try await api.send(.post, "/v1/applications/\(id)/transitions", token: token, json: body, headers: headers)
            }
            // Another county's officer may not even know it exists.
            #expect(try await transition(#"{"action":"county_approve"}"#, other).status == .notFound)
            // Not the county's action (whatever the state), and not the enterprise's.
            #expect(try await transition(#"{"action":"recommend"}"#, f.county!).status == .forbidden)
            #expect(try await transition(#"{"action":"county_approve"}"#, f.enterprise).status == .forbidden)
            // A return needs its note.
            let noNote = try await transition(#"{"action":"return"}"#, f.county!)
            #expect(noNote.status == .unprocessableContent)
            #expect(noNote.errorFields == ["note"])
            #expect(try await transition(#"{"action":"return","note":null}"#, f.county!).errorFields == ["note"])
            // A stale If-Match is a 412; the current one passes.
            #expect(try await transition(#"{"action":"return","note":"补充合作协议"}"#, f.county!, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            let current = try await api.get("/v1/applications/\(id)", token: f.enterprise).headers[.eTag] ?? ""
            let returned = try await transition(#"{"action":"return","note":"补充合作协议"}"#, f.county!, headers: [.ifMatch: current])
            #expect(returned.status == .ok, "\(returned.text)")
            #expect(returned.string["note"] == "补充合作协议")
            // The enterprise edits and resubmits; the bureau acts for the county; the county may not recommend.
            #expect(try await api.patch("/v1/applications/\(id)", token: f.enterprise, #"{"materials":{"trainees_per_year":90}}"#).status == .ok)
            #expect(try await transition(#"{"action":"submit"}"#, f.enterprise).status == .ok)
            #expect(try await transition(#"{"action":"county_approve"}"#, f.bureau).status == .ok)
            #expect(try await transition(#"{"action":"recommend"}"#, f.county!).status == .forbidden)
            #expect(try await api.patch("/v1/applications/\(id)", token: f.enterprise, #"{"year":2036}"#).status == .conflict)
            let unknown = try await transition(#"{"action":"approve"}"#, f.bureau)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorFields == ["action"])

            let history = try await api.get("/v1/applications/\(id)/history", token: f.county!)
            #expect(history.items.map { $0["action"] } == ["submit", "return", "submit", "county_approve"].map(JSONValue.string))
            #expect(history.items[1]["note"] == .string("补充合作协议"))
            #expect(history.items[1]["role"] == .string("county"))
            #expect(history.items[3]["from"] == .string("submitted"))
            #expect(history.items[3]["to"] == .string("county_approved"))
            #expect(try await api.get("/v1/applications/\(id)/history", token: other).status == .notFound)
        }
    }

    @Test func citedCooperationsMustBeOwnAndCompleted() async throws {
        try await withAPI { api async throws in
            let f = try await Self.fixtures(api)
            let college = try await api.login("col-smxzy")
            let demand = try await CooperationTests.demand(api, f.enterprise)
            let program = try await CooperationTests.program(api, college)
            let proposed = try await CooperationTests.propose(api, f.enterprise, demand: demand, program: program, seats: 1).string["id"] ?? ""
            let reply = try await api.post(
                "/v1/applications", token: f.enterprise, CertificationFixtures.body(year: 2037, materials: CertificationFixtures.materials(citing: [proposed])))
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.errorFields == ["materials.cooperation_ids[0]"])
        }
    }

    @Test func nationalNeedsAProvincialCertificationValidOnTheDayOfSubmission() async throws {
        let clock = FixedClock(Timestamp.parse("2026-06-01T02:00:00Z")!)
        try await withAPI(configure: { $0.clock = clock }) { api async throws in
            let f = try await Self.fixtures(api)
            let national = try await f.application(year: 2038, level: "national")
            let refused = try await api.send(.post, "/v1/applications/\(national)/transitions", token: f.enterprise, json: #"{"action":"submit"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorFields == ["level"], "\(refused.text)")

            let (_, certification, _) = try await f.certified(year: 2038, decidedOn: "2026-06-01")
            let document = try await api.get("/v1/certifications/\(certification)")
            #expect(document.string["certified_on"] == "2026-06-01")
            #expect(document.string["valid_until"] == "2029-05-31")
            // Expired the day after its last valid day.
            // Three years on (sessions signed in again): valid through 2029-05-31 China time, not a second longer.
            clock.set(Timestamp.parse("2029-05-31T16:00:00Z")!)  // 2029-06-01 00:00 in China
            let late = try await api.send(
                .post, "/v1/applications/\(national)/transitions", token: try await api.login("ent-zyyl"), json: #"{"action":"submit"}"#)
            #expect(late.status == .unprocessableContent, "\(late.text)")
            #expect(late.errorFields == ["level"])
            clock.set(Timestamp.parse("2029-05-31T15:59:59Z")!)  // 2029-05-31 23:59:59 in China
            let inTime = try await api.send(
                .post, "/v1/applications/\(national)/transitions", token: try await api.login("ent-zyyl"), json: #"{"action":"submit"}"#)
            #expect(inTime.status == .ok, "\(inTime.text)")
        }
    }

    @Test func aTransitionCountsOnItsChinaTimeDay() async throws {
        let clock = FixedClock(Timestamp.parse("2026-09-30T20:00:00Z")!)
        try await withAPI(configure: { $0.clock = clock }) { api async throws in
            let bureau = try await api.admin()
            let hxtb = CertificationFixtures(api: api, enterprise: try await api.login("ent-hxtb"), county: nil, bureau: bureau)
            let submitted = try await hxtb.application(year: 2027, state: "submitted")
            #expect(try await api.get("/v1/applications/\(submitted)", token: bureau).string["submitted_on"] == "2026-10-01")
        }
    }

    @Test func recommendationsStayWithinTheCountysQuota() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            let put = try await api.send(.put, "/v1/quotas/2040/provincial/411282", token: bureau, json: #"{"recommendations":1}"#)
            #expect(put.status == .created && put.headers[.location] == nil, "\(put.text)")
            let lbhj = CertificationFixtures(api: api, enterprise: try await api.login("ent-lbhj"), county: nil, bureau: bureau)
            let hxtb = CertificationFixtures(api: api, enterprise: try await api.login("ent-hxtb"), county: nil, bureau: bureau)
            // Reached `recommended`, then rejected: it still counts.
            _ = try await lbhj.application(year: 2040, state: "rejected")
            let second = try await hxtb.application(year: 2040, state: "county_approved")
            let beyond = try await api.send(.post, "/v1/applications/\(second)/transitions", token: bureau, json: #"{"action":"recommend"}"#)
            #expect(beyond.status == .conflict, "\(beyond.text)")
            let quotas = try await api.get("/v1/quotas?year=2040", token: bureau)
            #expect(quotas.items.first?["used"] == .int(1))
            #expect(try await api.send(.put, "/v1/quotas/2040/provincial/411282", token: bureau, json: #"{"recommendations":2}"#).status == .ok)
            #expect(try await api.send(.post, "/v1/applications/\(second)/transitions", token: bureau, json: #"{"action":"recommend"}"#).status == .ok)
            // Another level has no quota row: no limit. A quota outside the region's counties is a 422.
            #expect(try await api.send(.put, "/v1/quotas/2040/provincial/410102", token: bureau, json: #"{"recommendations":2}"#).status == .unprocessableContent)
        }
    }

    @Test func tenConcurrentDecisionsMakeOneCertificationAndOneReward() async throws {
        try await withAPI { api async throws in
            let f = try await Self.fixtures(api)
            for withKey in [false, true] {
                let year = withKey ? 2042 : 2041
                let id = try await f.application(year: year, state: "recommended")
                let body = CertificationFixtures.decision(CertificationFixtures.today)
                let statuses = try await withThrowingTaskGroup(of: (UInt16, String).self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            let reply = try await api.send(
                                .post, "/v1/applications/\(id)/transitions", token: f.bureau, json: body,
                                headers: withKey ? [HTTPField.Name("Idempotency-Key")!: "decide-\(id)"] : [:])
                            return (UInt16(reply.status.code), reply.string["certification_id"] ?? "")
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                if withKey {
                    #expect(statuses.allSatisfy { $0.0 == 200 }, "\(statuses)")
                    #expect(Set(statuses.map(\.1)).count == 1)
                } else {
                    #expect(statuses.filter { $0.0 == 200 }.count == 1, "\(statuses)")
                    #expect(statuses.filter { $0.0 == 409 }.count == 9, "\(statuses)")
                }
                let rows = try await api.store.client.query(
                    """
                    SELECT (SELECT count(*)::int FROM certifications WHERE application_id = \(UUID(uuidString: id)!)),
                           (SELECT count(*)::int FROM rewards w JOIN certifications c ON c.id = w.certification_id WHERE c.application_id = \(UUID(uuidString: id)!)),
                           (SELECT count(*)::int FROM application_history WHERE application_id = \(UUID(uuidString: id)!) AND action = 'record_decision')
                    """
                ).decode((Int, Int, Int).self)
                for try await (certifications, rewards, decisions) in rows {
                    #expect(certifications == 1 && rewards == 1 && decisions == 1, "\(certifications) \(rewards) \(decisions)")
                }
            }
        }
    }
}
